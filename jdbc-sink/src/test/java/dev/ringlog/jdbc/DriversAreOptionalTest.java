package dev.ringlog.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.LogEvent;
import dev.ringlog.TestEvents;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink loads and works with only the H2 driver on the class path: no pgjdbc, no MariaDB driver. */
class DriversAreOptionalTest {

    @TempDir
    Path directory;

    @Test
    void worksWithoutThePostgresAndMariaDbDrivers() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains("postgresql") && !entry.contains("mariadb")) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName("org.postgresql.PGConnection", false, loader));
            Class<?> probe = Class.forName(Probe.class.getName(), true, loader);
            assertEquals(3L, probe.getMethod("run", Path.class).invoke(null, directory));
        }
    }

    @Test
    void theEmbeddedDefaultNamesTheArtifactToAddWhenH2IsMissing() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains("h2database") && !Path.of(entry).getFileName().toString().startsWith("h2-")) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName("org.h2.Driver", false, loader));
            Class<?> probe = Class.forName(MissingH2Probe.class.getName(), true, loader);
            assertEquals("JdbcSink.embeddedH2 needs the H2 database on the class path: add the dependency"
                    + " com.h2database:h2 (2.x; ringlog is tested with 2.3.232)", probe.getMethod("run", Path.class).invoke(null, directory));
        }
    }

    /** Runs inside a class loader without H2: returns the message {@code open()} fails with. */
    public static final class MissingH2Probe {
        public static String run(Path directory) {
            try {
                JdbcSink.embeddedH2(directory).open().close();
                return "opened";
            } catch (IllegalStateException e) {
                return e.getMessage();
            }
        }
    }

    /** Runs inside the restricted class loader. */
    public static final class Probe {
        public static long run(Path directory) throws Exception {
            // DriverManager only hands out drivers visible to the caller's loader: register H2 in this one.
            Class.forName("org.h2.Driver");
            try (HikariDataSource ds = JdbcSink.embeddedH2(directory).open()) {
                JdbcSink<LogEvent> sink = JdbcSink.forLogEvents(ds).build();
                for (long id = 1; id <= 3; id++) {
                    sink.add(TestEvents.event(id, id, "t", "a", "p" + id));
                }
                sink.flush();
                sink.close();
                try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM ringlog_events")) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }
    }
}
