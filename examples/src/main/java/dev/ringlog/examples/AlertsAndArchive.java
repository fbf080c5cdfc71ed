package dev.ringlog.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.RetryPolicy;
import dev.ringlog.file.FileLogReader;
import dev.ringlog.file.FileSink;
import dev.ringlog.jdbc.JdbcSink;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

/**
 * The seeds' layout: one ring, two sinks. Warnings and errors go to a PostgreSQL table in small,
 * quick batches; every event goes to gzipped, AES-GCM encrypted daily files in large batches; each
 * sink with its own retry. Publishes a mix of events, closes the log, then reads both places back
 * (this run's rows by type, and the archive through {@link FileLogReader}) and checks them against
 * what was published.
 *
 * <pre>mvn -B -q -pl examples -am compile exec:java -Ddemo.main=dev.ringlog.examples.AlertsAndArchive</pre>
 *
 * Options: {@code --events N} (default 10,000), {@code --url} (default {@code RINGLOG_PG_URL}, else
 * {@code jdbc:postgresql://127.0.0.1:5432/test}; an embedded H2 database in the directory when it does
 * not answer), {@code --user} ({@code RINGLOG_PG_USER}, else {@code postgres}), {@code --table}
 * ({@code alerts}), {@code --dir PATH} (default a new temporary directory), {@code --key-file PATH}
 * (the AES key as Base64: read if the file exists, else a new 256-bit key is saved there; default
 * {@code <dir>/archive.key}). The key is never printed.
 */
public final class AlertsAndArchive {

    private AlertsAndArchive() {
    }

    public static void main(String[] args) throws Exception {
        int status = run(args, System.out);
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(String[] args, PrintStream out) throws Exception {
        int events = 10_000;
        String url = env("RINGLOG_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = env("RINGLOG_PG_USER", "postgres");
        String table = "alerts";
        Path dir = null;
        Path keyFile = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(value);
                case "--url" -> url = value;
                case "--user" -> user = value;
                case "--table" -> table = value;
                case "--dir" -> dir = Path.of(value);
                case "--key-file" -> keyFile = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + ": --events N, --url URL, --user NAME, --table NAME, --dir PATH, --key-file PATH");
            }
        }
        dir = dir != null ? dir : Files.createTempDirectory("ringlog-alerts-archive");
        keyFile = keyFile != null ? keyFile : dir.resolve("archive.key");
        SecretKey key = loadOrCreateKey(keyFile, out);
        Path archive = dir.resolve("archive");
        List<Path> earlier = files(archive);

        String where;
        HikariDataSource db;
        String noAnswer = unreachable(url, user);
        if (noAnswer == null) {
            where = "PostgreSQL " + url;
            db = pool(url, user);
        } else {
            where = "embedded H2 in " + dir.resolve("h2");
            out.println("note: PostgreSQL does not answer at " + url + " (" + noAnswer + "); using an " + where + " instead");
            db = JdbcSink.embeddedH2(dir.resolve("h2")).open();
        }
        try (db) {
            JdbcSink<LogEvent> alertTable = JdbcSink.forLogEvents(db).table(table).build();
            // tag::alertsAndArchive[]
            FileSink<LogEvent> archiveFiles = FileSink.forLogEvents(archive)   // api-<yyyy-MM-dd>.jsonl.gz.enc, one per UTC day
                    .prefix("api").gzip(true).encrypt(key).build();
            Set<String> alerts = Set.of("warn", "error");
            EventLog<LogEvent> log = EventLog.builder(LogEvent::new)
                    .name("api")
                    .sink("alerts", alertTable, s -> s                       // PostgreSQL: warnings and errors, soon
                            .filter(e -> alerts.contains(e.type()))
                            .maxBatchSize(100)
                            .linger(Duration.ofMillis(20))
                            .retry(RetryPolicy.backoff(Duration.ofMillis(100), Duration.ofSeconds(5))))
                    .sink("archive", archiveFiles, s -> s                    // files: every event, in large frames
                            .maxBatchSize(10_000)
                            .linger(Duration.ofSeconds(1))
                            .retry(RetryPolicy.backoff(Duration.ofSeconds(1), Duration.ofSeconds(30))))
                    .start();
            // end::alertsAndArchive[]
            LocalDateTime started = LocalDateTime.ofInstant(Instant.now().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
            Map<String, Long> published = new TreeMap<>();
            for (int i = 0; i < events; i++) {
                String type = i % 100 == 0 ? "error" : i % 20 == 0 ? "warn" : i % 3 == 0 ? "api_call" : "page_view";
                if (log.publish(LogEvent::set, type, "user-" + i % 500, "{\"path\":\"/p/" + i % 50 + "\"}")) {
                    published.merge(type, 1L, Long::sum);
                }
            }
            log.close();
            long total = published.values().stream().mapToLong(Long::longValue).sum();
            Map<String, Long> expectedAlerts = new TreeMap<>(published);
            expectedAlerts.keySet().retainAll(alerts);
            out.printf("published %,d events: %s%n", total, published);

            Map<String, Long> rows = rowsByType(db, table, started);
            out.printf("alerts:  %s, table %s, this run's rows by type: %s%n", where, table, rows);

            List<Path> written = new ArrayList<>(files(archive));
            written.removeAll(earlier);
            long lines = 0;
            boolean clean = true;
            for (Path file : written) {
                try (FileLogReader reader = FileLogReader.open(file, key)) {
                    for (String line : reader) {
                        lines++;
                    }
                    out.println("archive: " + reader.report());
                    clean &= reader.report().clean();
                }
            }
            out.printf("archive: %,d files, %,d lines%n", written.size(), lines);
            out.println("read the archive: java -cp " + codeSource(FileLogReader.class) + ":" + codeSource(LogEvent.class)
                    + " dev.ringlog.file.FileLogReader --key-file " + keyFile + " "
                    + written.stream().map(Path::toString).collect(Collectors.joining(" ")));
            boolean ok = rows.equals(expectedAlerts) && lines == total && clean;
            out.println(ok ? "every warning and error in the table, every event in the archive"
                    : "MISMATCH: expected alerts " + expectedAlerts + " and " + total + " clean archive lines");
            return ok ? 0 : 1;
        }
    }

    private static String env(String key, String fallback) {
        String value = System.getenv(key);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Why nothing answers at {@code url}, or {@code null} if a server does (within 5 s). */
    private static String unreachable(String url, String user) {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("connectTimeout", "5"); // pgjdbc: seconds
        try (Connection c = DriverManager.getConnection(url, props)) {
            return c.isValid(3) ? null : "the connection is not valid";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    private static HikariDataSource pool(String url, String user) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPoolName("alerts");
        config.setMaximumPoolSize(2);
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    /** The AES key in {@code file} (Base64), or a new 256-bit one saved there, readable by its owner only. */
    private static SecretKey loadOrCreateKey(Path file, PrintStream out) throws IOException, NoSuchAlgorithmException {
        if (Files.exists(file)) {
            byte[] bytes = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            return new SecretKeySpec(bytes, "AES");
        }
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256);
        SecretKey key = generator.generateKey();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.createFile(file);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the file keeps its directory's access rules
        }
        Files.writeString(file, Base64.getEncoder().encodeToString(key.getEncoded()) + "\n", StandardCharsets.US_ASCII);
        out.println("new AES-256 key saved to " + file + " (keep it: without it the archive cannot be read)");
        return key;
    }

    /** The files in {@code archive}, by name (none if it does not exist yet). */
    private static List<Path> files(Path archive) throws IOException {
        if (!Files.isDirectory(archive)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(archive)) {
            return files.sorted().toList();
        }
    }

    private static Map<String, Long> rowsByType(DataSource db, String table, LocalDateTime since) throws SQLException {
        Map<String, Long> rows = new TreeMap<>();
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT type, COUNT(*) FROM " + table + " WHERE ts >= ? GROUP BY type")) {
            s.setObject(1, since);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.put(r.getString(1), r.getLong(2));
                }
            }
        }
        return rows;
    }

    private static String codeSource(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
