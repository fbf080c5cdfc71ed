package dev.ringlog.log4j2;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.EventWriter2;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.jdbc.JdbcSink;
import dev.ringlog.logging.internal.LogTable;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractManager;
import org.apache.logging.log4j.core.appender.ManagerFactory;

/**
 * The {@link EventLog}, its sink and its pool behind {@link RinglogAppender}s of one name and database:
 * shared by the appenders of successive configurations, so that a reconfiguration keeps the log, its
 * ring and what is in it. Log4j2 starts the new configuration (whose appender takes this manager,
 * counted) before it stops the old one (whose release leaves it running); the last release closes the
 * log (draining it within its {@code shutdownTimeout}), then the pool.
 */
final class RinglogManager extends AbstractManager {

    /** Copies the event into the slot: non-capturing, so publishing allocates nothing. */
    private static final EventWriter2<Log4jRow, LogEvent, RinglogManager> COPY =
            (row, event, manager) -> row.copy(event, manager.ids.getAndIncrement());

    private final EventLog<Log4jRow> log;
    private final HikariDataSource pool;
    private final AtomicLong ids = new AtomicLong(LogTable.idBase());
    private volatile Thread sinkThread;

    /** What the manager is made of: the appender's settings; the key of the manager is the name and the database. */
    record Settings(String name, String url, String user, String password, String directory, int maxPoolSize,
                    LogTable table, Map<String, String> config) {

        String key() {
            return "ringlog:" + name + ":" + (directory != null ? directory : url) + ":" + table.name();
        }
    }

    private RinglogManager(String key, Settings s) throws SQLException {
        super(null, key);
        LogTable table = s.table();
        HikariDataSource ds = s.directory() != null ? JdbcSink.embeddedH2(Path.of(s.directory())).open()
                : LogTable.pool(s.name(), s.url(), s.user(), s.password(), s.maxPoolSize());
        try {
            String unreachable = table.createIfReachable(ds);
            if (unreachable != null) {
                LOGGER.warn("ringlog: database not reachable at start, table {} not checked: create it before the"
                        + " first write or its events are dead-lettered ({})", table.name(), unreachable);
            }
            JdbcSink<Log4jRow> sink = JdbcSink.<Log4jRow>builder(ds, table.insert(), table::bind).build();
            Map<String, String> config = new LinkedHashMap<>(s.config());
            config.put("ringlog.name", s.name());
            this.log = EventLog.builder(Log4jRow::new, sink)
                    .overflow(OverflowPolicy.DROP) // before configure: the key overrides it
                    .configure(config)
                    .threadFactory(r -> {
                        Thread t = new Thread(r, "ringlog-" + s.name() + "-sink");
                        t.setDaemon(true);
                        sinkThread = t;
                        return t;
                    })
                    // StatusLogger, not a Logger: never through an appender, so never back into this log.
                    .deadLetters((row, cause) -> LOGGER.error("ringlog[{}]: event not written ({}): {}", s.name(),
                            LogTable.describe(row), cause, cause))
                    .start();
        } catch (RuntimeException | SQLException e) {
            ds.close();
            throw e;
        }
        this.pool = ds;
    }

    /** The manager of {@code settings}' name and database: the running one, or a new one. */
    static RinglogManager of(Settings settings) {
        return getManager(settings.key(), FACTORY, settings);
    }

    private static final ManagerFactory<RinglogManager, Settings> FACTORY = (key, settings) -> {
        try {
            return new RinglogManager(key, settings);
        } catch (SQLException e) {
            throw new IllegalStateException("ringlog: " + e.getMessage(), e);
        }
    };

    EventLog<Log4jRow> log() {
        return log;
    }

    /** Whether the calling thread is this log's sink thread: what it logs must not come back. */
    boolean onSinkThread() {
        return Thread.currentThread() == sinkThread;
    }

    boolean publish(LogEvent event) {
        return log.publish(COPY, event, this);
    }

    CompletableFuture<Void> publishDurable(LogEvent event) {
        return log.publishDurable(COPY, event, this);
    }

    /** The last release: drains and closes the log within its shutdownTimeout, then the pool. */
    @Override
    protected boolean releaseSub(long timeout, TimeUnit timeUnit) {
        log.close();
        EventLog.Stats s = log.stats();
        if (s.pending() > 0) {
            LOGGER.warn("ringlog[{}]: stopped with {} events not written: {}", log.name(), s.pending(), s);
        }
        pool.close();
        return s.pending() == 0;
    }
}
