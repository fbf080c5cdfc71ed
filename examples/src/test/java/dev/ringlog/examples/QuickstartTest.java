package dev.ringlog.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.jdbc.JdbcSink;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the quick starts (the README's FirstLog, and Quickstart with small counts) so that they never rot. */
class QuickstartTest {

    @Test
    void firstLogWritesItsThousandEventsToTheFile(@TempDir Path dir) throws Exception {
        FirstLog.main(new String[] {dir.toString()});
        try (HikariDataSource db = JdbcSink.embeddedH2(dir).open(); Connection c = db.getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT id), COUNT(DISTINCT actor) FROM page_views")) {
            rs.next();
            assertEquals(1_000, rs.getLong(1));
            assertEquals(1_000, rs.getLong(2));
            assertEquals(10, rs.getLong(3));
        }
    }

    @Test
    void writesEveryEventToTheTable(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int status = Quickstart.run(new String[] {"3", "10000", dir.toString()},
                new PrintStream(captured, true, StandardCharsets.UTF_8));
        String text = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text);
        assertTrue(text.contains("accepted 30,000  dropped 0  written 30,000  failed 0  pending 0"), text);
        assertTrue(text.contains("rows in page_views: 30,000"), text);
    }
}
