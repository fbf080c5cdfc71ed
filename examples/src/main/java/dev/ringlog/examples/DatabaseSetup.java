package dev.ringlog.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.jdbc.JdbcSink;
import java.math.BigDecimal;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * The README's set-up per database, compiled (the README quotes the tagged regions; a test checks
 * it). {@link #embedded} is also run by the tests; the server variants need a server.
 */
final class DatabaseSetup {

    private DatabaseSetup() {
    }

    /** The embedded default (each commit on disk), encrypted at rest. Returns the events written. */
    static long embedded(Path dir, char[] filePassword, char[] userPassword) {
        // tag::embedded[]
        HikariDataSource ds = JdbcSink.embeddedH2(dir)            // dir/ringlog.mv.db, each commit on disk
                .encrypted(filePassword, userPassword)             // optional: CIPHER=AES at rest
                .open();
        EventLog<LogEvent> log = EventLog.builder(LogEvent::new, JdbcSink.forLogEvents(ds).build()).start();
        log.publish(LogEvent::set, "signup", "user-1", "{}");
        log.close();   // drains and commits
        ds.close();    // then the pool: the sink does not own it
        // end::embedded[]
        return log.stats().written();
    }

    static JdbcSink<LogEvent> postgres(String secret) {
        // tag::postgres[]
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://db:5432/app");
        config.setUsername("app");
        config.setPassword(secret);
        config.setInitializationFailTimeout(-1);   // let the application start while the database is down
        config.setConnectionTimeout(5_000);        // the wait for a connection: per attempt, and once in build()
        HikariDataSource pool = new HikariDataSource(config);   // close it after the log: the sink does not own it
        JdbcSink<LogEvent> sink = JdbcSink.forLogEvents(pool).table("analytics_events").build();
        // end::postgres[]
        return sink;
    }

    /** An order, for the custom-table snippet. */
    static final class Order {
        long id;
        BigDecimal total;
    }

    static JdbcSink<Order> customTable(DataSource dataSource) {
        // tag::custom[]
        JdbcSink<Order> sink = JdbcSink.<Order>builder(dataSource,
                "INSERT INTO orders (id, total) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                (ps, o) -> { ps.setLong(1, o.id); ps.setBigDecimal(2, o.total); }).build();
        // end::custom[]
        return sink;
    }
}
