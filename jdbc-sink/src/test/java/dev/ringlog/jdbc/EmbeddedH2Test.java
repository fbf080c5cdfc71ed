package dev.ringlog.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.RetryPolicy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default: what it counts written is in the file after the JVM exits, encryption at rest, validation. */
class EmbeddedH2Test {

    static final String SECRET = "SECRET-PAYLOAD-do-not-leak-4711";

    @TempDir
    Path directory;

    /**
     * The child JVM, as a new user would write it: the embedded default, BLOCK, no {@code close()}.
     * {@code exit}: 4 threads x 25,000 events, then {@code main} returns (the log's shutdown hook
     * drains it) and a hook of its own prints {@code written=N} once nothing is pending.
     * {@code until-killed}: publishes without end, printing {@code written=N} after each flush.
     * A third argument {@code write-delay} opts out of writing each commit at once.
     */
    public static void main(String[] args) throws Exception {
        EmbeddedH2 h2 = JdbcSink.embeddedH2(Path.of(args[0]));
        HikariDataSource db = (args.length > 2 ? h2.commitOnDisk(false) : h2).open();
        EventLog<LogEvent> log = EventLog.builder(LogEvent::new, JdbcSink.forLogEvents(db).build())
                .overflow(OverflowPolicy.BLOCK).start();
        if (args[1].equals("until-killed")) {
            for (long i = 0; ; i++) {
                log.publish(LogEvent::set, "t", "a", "{\"i\":" + i + "}");
                if (i % 5_000 == 4_999 && log.flush(Duration.ofSeconds(30))) {
                    System.out.println("written=" + log.stats().written());
                }
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (log.stats().pending() > 0 && System.nanoTime() < deadline) {
                // the child only observes the log's own hook draining (closing the log here would
                // take its place); nothing signals the end of another hook, so it looks every millisecond
                LockSupport.parkNanos(1_000_000);
            }
            System.out.println("written=" + log.stats().written());
        }));
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread producer = new Thread(() -> {
                for (int i = 0; i < 25_000; i++) {
                    log.publish(LogEvent::set, "page_view", "user", "{\"path\":\"/home\"}");
                }
            });
            producers.add(producer);
            producer.start();
        }
        for (Thread producer : producers) {
            producer.join();
        }
    }

    private Process child(String... mode) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EmbeddedH2Test.class.getName(), directory.toString()));
        command.addAll(List.of(mode));
        return new ProcessBuilder(command).redirectError(Redirect.INHERIT).start();
    }

    private long rowsInTheFile() throws SQLException {
        try (HikariDataSource db = JdbcSink.embeddedH2(directory).open();
             Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT id) FROM " + JdbcSink.DEFAULT_TABLE)) {
            rs.next();
            assertEquals(rs.getLong(1), rs.getLong(2), "duplicated ids");
            return rs.getLong(1);
        }
    }

    @Test
    void keepsEveryEventCountedWrittenWhenMainReturnsWithoutClose() throws Exception {
        assertEquals(100_000, rowsAfterAChildReturnsFromMain("exit"));
    }

    @Test
    void closesTheDatabaseAtExitAfterTheLogSoThatEvenDelayedCommitsAreKept() throws Exception {
        // H2 writes these commits up to 500 ms late: only closing the database after the log keeps them
        assertEquals(100_000, rowsAfterAChildReturnsFromMain("exit", "write-delay"));
    }

    private long rowsAfterAChildReturnsFromMain(String... mode) throws Exception {
        Process child = child(mode);
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(90, TimeUnit.SECONDS), "the child JVM did not exit: " + output);
        assertEquals(0, child.exitValue(), output);
        assertEquals("written=100000", output.trim(), "the log's shutdown hook drains it");
        return rowsInTheFile();
    }

    @Test
    void keepsEveryEventCountedWrittenWhenTheJvmIsKilled() throws Exception {
        Process child = child("until-killed");
        long written = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; written < 20_000 && (line = out.readLine()) != null; ) {
                written = Long.parseLong(line.substring("written=".length()));
            }
            child.destroyForcibly(); // SIGKILL: no hook runs, the sink thread is mid-batch
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child JVM survived SIGKILL");
        } finally {
            child.destroyForcibly();
        }
        assertTrue(written >= 20_000, "the child printed no count: written=" + written);
        long rows = rowsInTheFile();
        assertTrue(rows >= written, "counted written before the kill: " + written + ", rows in the file: " + rows);
    }

    @Test
    void reopensTheDatabaseWhenItWasClosedUnderTheLog() throws Exception {
        EmbeddedH2 h2 = JdbcSink.embeddedH2(directory);
        try (HikariDataSource db = h2.open()) {
            EventLog<LogEvent> log = EventLog.builder(LogEvent::new, JdbcSink.forLogEvents(db).build())
                    .overflow(OverflowPolicy.BLOCK).retry(RetryPolicy.backoff(Duration.ofMillis(5), Duration.ofMillis(100)))
                    .shutdownHook(false).start();
            try {
                for (int i = 0; i < 1_000; i++) {
                    log.publish(LogEvent::set, "t", "a", "before");
                }
                assertTrue(log.flush(Duration.ofSeconds(30)), log.stats()::toString);
                try (Connection c = DriverManager.getConnection(h2.url(), "sa", ""); Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN"); // as H2 does itself after a disk error: every pooled connection now fails
                }
                for (int i = 0; i < 1_000; i++) {
                    log.publish(LogEvent::set, "t", "a", "after");
                }
                assertTrue(log.flush(Duration.ofSeconds(10)), "not written after the database was closed: " + log.stats());
                assertEquals(2_000, log.stats().written());
            } finally {
                log.close();
            }
            try (Connection c = db.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT id) FROM " + JdbcSink.DEFAULT_TABLE)) {
                rs.next();
                assertEquals(2_000, rs.getLong(1));
                assertEquals(2_000, rs.getLong(2));
            }
        }
    }

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
    void rejectsADirectoryThatH2WouldReadAsSettings() throws Exception {
        Path injected = Files.createDirectories(directory.resolve("x;INIT=CREATE TABLE injected(a INT)"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JdbcSink.embeddedH2(injected));
        assertEquals("directory must not contain ';' (H2 reads what follows as settings): directory='" + injected + "'",
                e.getMessage());
        Path backslash = directory.resolve("a\\b");
        e = assertThrows(IllegalArgumentException.class, () -> JdbcSink.embeddedH2(backslash));
        assertEquals("directory must not contain '\\' (H2 reads it as '/', another directory): directory='" + backslash + "'",
                e.getMessage());
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
        e = assertThrows(IllegalArgumentException.class, () -> JdbcSink.embeddedH2(directory).shutdownTimeout(Duration.ofHours(2)));
        assertEquals("shutdownTimeout must be in [0, 1h]: shutdownTimeout=PT2H", e.getMessage());
    }
}
