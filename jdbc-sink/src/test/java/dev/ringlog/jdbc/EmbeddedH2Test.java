package dev.ringlog.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default: encryption at rest, durability settings, validation. */
class EmbeddedH2Test {

    static final String SECRET = "SECRET-PAYLOAD-do-not-leak-4711";

    @TempDir
    Path directory;

    /** Writes 2,000 events whose payloads contain {@link #SECRET}, closes everything, returns the file's bytes. */
    private byte[] writeSecrets(EmbeddedH2 h2, String name) throws Exception {
        try (HikariDataSource ds = h2.name(name).open()) {
            EventLog<LogEvent> log = EventLog.builder(LogEvent::new, JdbcSink.forLogEvents(ds).build())
                    .overflow(OverflowPolicy.BLOCK).shutdownHook(false).start();
            for (int i = 0; i < 2_000; i++) {
                assertTrue(log.publish(LogEvent::set, "secret", "actor", "{\"v\":\"" + SECRET + "\",\"i\":" + i + "}"));
            }
            assertTrue(log.flush(Duration.ofSeconds(60)));
            log.close();
            assertEquals(2_000, log.stats().written());
        }
        return Files.readAllBytes(directory.resolve(name + ".mv.db"));
    }

    private static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
    }

    @Test
    void storesPlaintextWithoutEncryption() throws Exception {
        // the control: proves the search below would find the payload if it were there
        assertTrue(contains(writeSecrets(JdbcSink.embeddedH2(directory), "plain"), SECRET));
    }

    @Test
    void encryptsTheFileWithAes() throws Exception {
        byte[] file = writeSecrets(JdbcSink.embeddedH2(directory).encrypted("file-key-1".toCharArray(), "user-pw".toCharArray()), "sealed");
        assertFalse(contains(file, SECRET), "plaintext payload found in the encrypted file");
        assertFalse(contains(file, "secret"), "plaintext type found in the encrypted file");

        String url = "jdbc:h2:file:" + directory.resolve("sealed") + ";IFEXISTS=TRUE";
        assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "sa", "user-pw").close(), "no cipher");
        assertThrows(SQLException.class,
                () -> DriverManager.getConnection(url + ";CIPHER=AES", "sa", "wrong-key user-pw").close(), "wrong file key");
        try (Connection c = DriverManager.getConnection(url + ";CIPHER=AES", "sa", "file-key-1 user-pw");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM ringlog_events WHERE payload LIKE '%" + SECRET + "%'")) {
            rs.next();
            assertEquals(2_000, rs.getLong(1));
        }
    }

    @Test
    void offersCommitOnDisk() {
        assertTrue(JdbcSink.embeddedH2(directory).commitOnDisk(true).url().endsWith(";WRITE_DELAY=0"));
        assertFalse(JdbcSink.embeddedH2(directory).url().contains("WRITE_DELAY"));
        String url = JdbcSink.embeddedH2(directory).encrypted("k".toCharArray(), "u".toCharArray()).url();
        assertTrue(url.contains(";CIPHER=AES"), url);
        assertFalse(url.contains("k ") || url.contains("PASSWORD"), url);
    }

    @Test
    void validatesItsSettings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JdbcSink.embeddedH2(directory).name("../etc"));
        assertEquals("name must be 1 to 64 letters, digits, '_' or '-': name='../etc'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> JdbcSink.embeddedH2(directory).encrypted("has space".toCharArray(), "u".toCharArray()));
        assertFalse(e.getMessage().contains("has space"), "passwords are never echoed");
        e = assertThrows(IllegalArgumentException.class, () -> JdbcSink.embeddedH2(directory).maximumPoolSize(0));
        assertEquals("maximumPoolSize must be in [1, 64]: maximumPoolSize=0", e.getMessage());
    }
}
