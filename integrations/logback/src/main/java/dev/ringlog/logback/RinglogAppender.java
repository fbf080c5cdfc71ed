package dev.ringlog.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.EventWriter2;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.jdbc.JdbcSink;
import dev.ringlog.logging.internal.AuditTimeout;
import dev.ringlog.logging.internal.LogColumn;
import dev.ringlog.logging.internal.LogDialect;
import dev.ringlog.logging.internal.LogTable;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Logback appender that publishes each logging event into a ringlog {@link EventLog}, whose sink
 * thread writes them in batches to a database table through {@link JdbcSink}.
 *
 * <pre>{@code
 * <appender name="DB" class="dev.ringlog.logback.RinglogAppender">
 *   <url>jdbc:postgresql://db:5432/app</url>   <!-- or <directory>logs</directory>: an embedded H2 file -->
 *   <user>app</user>
 *   <password>${DB_PASSWORD}</password>
 *   <table>app_logs</table>
 *   <!-- optional: the columns (the standard ones when none is declared) -->
 *   <column><source>ts</source></column>
 *   <column><source>message</source></column>
 *   <column><name>user_id</name><source>mdc:user</source><type>BIGINT</type></column>
 * </appender>
 * }</pre>
 *
 * <p>A {@code <column>} has a {@code source} ({@code ts}, {@code level}, {@code logger}, {@code thread},
 * {@code message}, {@code throwable}, {@code markers}, {@code mdc}, {@code kv}, {@code json} (one payload of
 * MDC, key-value pairs and markers), {@code mdc:<key>}, {@code kv:<key>} for SLF4J 2's
 * {@code addKeyValue}), a {@code name} (default: the source's) and a {@code type} (default: the source's;
 * {@code BIGINT}, {@code INTEGER}, {@code DOUBLE}, {@code BOOLEAN}, {@code VARCHAR(n)}, {@code TEXT},
 * {@code JSON}). A value that does not convert to its column's type dead-letters its event alone.
 *
 * <p>{@code append} runs on the logging thread: it copies references out of Logback's event into a
 * ring slot ({@link LogRow}) and returns; it does not wait for the database, and with the default
 * overflow {@code drop} it never blocks: a full ring drops the event and counts it
 * ({@link EventLog.Stats#dropped()} of {@link #eventLog()}). An event carrying the marker
 * {@link #setAuditMarker auditMarker} ({@code AUDIT}) is published with
 * {@link EventLog#publishDurable}: its loss (dropped, dead-lettered, the log closed first) is reported
 * through {@code addError}; with {@link #setAuditTimeout auditTimeout} above zero the logging call also
 * waits, at most that long, until the event's row is committed.
 *
 * <p>No loop: events of ringlog's own threads and of the loggers under {@code dev.ringlog},
 * {@code com.zaxxer.hikari}, {@code org.postgresql}, {@code org.mariadb} and {@code org.h2} (the
 * engine, the pool and the drivers this appender writes through) are dropped before they reach the
 * ring and counted in {@link #droppedOwnEvents()}; send those loggers to another appender. A pool that
 * logs while the ring is full therefore never waits for the ring it is needed to drain.
 *
 * <p>Lifecycle: {@link #start()} opens the pool (or the embedded H2 database), creates the table if it is
 * missing and starts the log; a bad setting or a failed start is reported through {@code addError} and
 * leaves the appender stopped. {@link #stop()} (Logback calls it when the context stops or is
 * reconfigured) drains the log within its {@code shutdownTimeout}, then closes the pool.
 * Configure, then start: the setters are for Logback's configurator, before {@code start}.
 */
public final class RinglogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    /** Copies the event into the slot: non-capturing, so publishing allocates nothing. */
    private static final EventWriter2<LogRow, ILoggingEvent, RinglogAppender> COPY =
            (row, event, appender) -> row.copy(event, appender.ids.getAndIncrement());

    private final Map<String, String> config = new LinkedHashMap<>();
    private final List<Column> columns = new ArrayList<>();
    private final LongAdder ownEvents = new LongAdder();
    /** A random base, so that ids of two runs (two service instances) do not collide: see LogEvent.id(). */
    private final AtomicLong ids = new AtomicLong(LogTable.idBase());

    private String url;
    private String user;
    private String password;
    private String directory;
    private int maxPoolSize = 2;
    private String table = "ringlog_logs";
    private String auditMarker = "AUDIT";
    private String auditTimeoutText = "0";
    private Duration auditTimeout = Duration.ZERO;

    private volatile EventLog<LogRow> log;
    private volatile Thread sinkThread;
    private HikariDataSource pool;

    /** The JDBC URL of the database (H2, PostgreSQL, MariaDB/MySQL); or set {@link #setDirectory directory}. */
    public void setUrl(String url) {
        this.url = url;
    }

    /** The database user of {@link #setUrl url}. */
    public void setUser(String user) {
        this.user = user;
    }

    /** The password of {@link #setUser user}: kept in the pool's configuration only, never logged. */
    public void setPassword(String password) {
        this.password = password;
    }

    /** An embedded H2 file database in this directory ({@link JdbcSink#embeddedH2}), instead of a {@link #setUrl url}. */
    public void setDirectory(String directory) {
        this.directory = directory;
    }

    /** Connections of the pool built from {@link #setUrl url}: the sink holds one. Default 2. */
    public void setMaxPoolSize(int maxPoolSize) {
        this.maxPoolSize = maxPoolSize;
    }

    /** The table, created when missing (columns in the README). Default {@code ringlog_logs}. */
    public void setTable(String table) {
        this.table = table;
    }

    /** Declares one more column (Logback calls it for each {@code <column>}, in order); none: the standard columns. */
    public void addColumn(Column column) {
        columns.add(column);
    }

    /** Slots in the ring: {@code ringlog.ringSize}, a power of two. */
    public void setRingSize(String ringSize) {
        config.put("ringlog.ringSize", ringSize);
    }

    /** {@code ringlog.maxBatchSize}. */
    public void setMaxBatchSize(String maxBatchSize) {
        config.put("ringlog.maxBatchSize", maxBatchSize);
    }

    /** {@code ringlog.linger}: {@code 100ms}, {@code 2s} or ISO-8601. */
    public void setLinger(String linger) {
        config.put("ringlog.linger", linger);
    }

    /** What a full ring does: {@code drop} (default: logging never blocks), {@code block} or {@code block:2s}. */
    public void setOverflow(String overflow) {
        config.put("ringlog.overflow", overflow);
    }

    /** How long {@link #stop()} may take to write what is in the ring: {@code ringlog.shutdownTimeout}. */
    public void setShutdownTimeout(String shutdownTimeout) {
        config.put("ringlog.shutdownTimeout", shutdownTimeout);
    }

    /** {@code ringlog.mode}: {@code sync} writes on the logging thread (a rollback switch). */
    public void setMode(String mode) {
        config.put("ringlog.mode", mode);
    }

    /** The name of the marker whose events are published durably. Default {@code AUDIT}. */
    public void setAuditMarker(String auditMarker) {
        this.auditMarker = auditMarker;
    }

    /**
     * How long a logging call with the {@link #setAuditMarker audit marker} waits for its row to be
     * committed: {@code 0} (default) does not wait, the loss is still reported; {@code 100ms},
     * {@code 2s} or ISO-8601, at most 1 h. A wait that expires is reported by {@code addWarn}.
     */
    public void setAuditTimeout(String auditTimeout) {
        this.auditTimeoutText = auditTimeout;
    }

    /**
     * The log (its stats, {@code flush}, Micrometer's {@code RinglogMetrics}): running while the appender
     * is started, closed after {@link #stop()}; {@code null} before the first start.
     */
    public EventLog<?> eventLog() {
        return log;
    }

    /** Events dropped because ringlog, its pool or a driver logged them (see the class comment). */
    public long droppedOwnEvents() {
        return ownEvents.sum();
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        if ((url == null) == (directory == null)) {
            addError("ringlog: set either url (a JDBC URL) or directory (an embedded H2 database), not "
                    + (url == null ? "neither" : "both"));
            return;
        }
        HikariDataSource ds = null;
        try {
            String name = getName() == null ? "logback" : getName();
            List<LogColumn> declared = new ArrayList<>();
            for (Column c : columns) {
                declared.add(LogColumn.of(c.name, c.source, c.type));
            }
            LogTable logTable = new LogTable(directory != null ? LogDialect.H2 : LogDialect.forUrl(url), table, declared);
            auditTimeout = AuditTimeout.parse(auditTimeoutText);
            ds = directory != null ? JdbcSink.embeddedH2(Path.of(directory)).open()
                    : LogTable.pool(name, url, user, password, maxPoolSize);
            String unreachable = logTable.createIfReachable(ds);
            if (unreachable != null) {
                addWarn("ringlog: database not reachable at start, table " + logTable.name() + " not checked: create it"
                        + " before the first write or its events are dead-lettered (" + unreachable + ")");
            }
            JdbcSink<LogRow> sink = JdbcSink.<LogRow>builder(ds, logTable.insert(), logTable::bind).build();
            Map<String, String> settings = new LinkedHashMap<>(config);
            settings.put("ringlog.name", name);
            log = EventLog.builder(LogRow::new, sink)
                    .overflow(OverflowPolicy.DROP) // before configure: the key overrides it
                    .configure(settings)
                    .threadFactory(r -> {
                        Thread t = new Thread(r, "ringlog-" + name + "-sink");
                        t.setDaemon(true);
                        sinkThread = t;
                        return t;
                    })
                    .deadLetters((row, cause) -> addError("ringlog[" + name + "]: event not written ("
                            + LogTable.describe(row) + "): " + cause, cause))
                    .start();
            pool = ds;
            super.start();
        } catch (RuntimeException | SQLException e) {
            addError("ringlog: appender [" + getName() + "] not started: " + e.getMessage(), e);
            if (ds != null) {
                ds.close();
            }
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (Thread.currentThread() == sinkThread || LogTable.isOwnLogger(event.getLoggerName())) {
            ownEvents.increment();
            return;
        }
        EventLog<LogRow> l = log;
        if (auditMarker != null && LogRow.hasMarker(event, auditMarker)) {
            appendDurably(l, event);
        } else {
            l.publish(COPY, event, this);
        }
    }

    private void appendDurably(EventLog<LogRow> l, ILoggingEvent event) {
        CompletableFuture<Void> done = l.publishDurable(COPY, event, this);
        if (auditTimeout.isZero()) {
            reportLoss(l, event, done);
            return;
        }
        try {
            done.get(auditTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            addWarn("ringlog[" + l.name() + "]: " + auditMarker + " event of " + event.getLoggerName()
                    + " not committed within auditTimeout=" + auditTimeout + "; the logging call returned");
            reportLoss(l, event, done);
        } catch (ExecutionException e) {
            addError(lossMessage(l, event, e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the caller is being stopped: do not wait, still report a loss
            reportLoss(l, event, done);
        }
    }

    /** Reports through {@code addError}, on the log's callback executor, if {@code done} fails. */
    private void reportLoss(EventLog<LogRow> l, ILoggingEvent event, CompletableFuture<Void> done) {
        done.whenComplete((ok, failure) -> {
            if (failure != null) {
                addError(lossMessage(l, event, failure), failure);
            }
        });
    }

    private String lossMessage(EventLog<LogRow> l, ILoggingEvent event, Throwable failure) {
        return "ringlog[" + l.name() + "]: " + auditMarker + " event of " + event.getLoggerName() + " not written: " + failure;
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop(); // no new appends from here
        EventLog<LogRow> l = log;
        l.close();
        EventLog.Stats s = l.stats();
        if (s.pending() > 0) {
            addWarn("ringlog[" + l.name() + "]: stopped with " + s.pending() + " events not written: " + s);
        }
        pool.close();
    }

    /**
     * One {@code <column>} of the configuration: its {@code name}, {@code source} and {@code type}, checked at
     * {@link #start()} (a wrong one is reported naming the key and the value, and the appender stays stopped).
     */
    public static final class Column {

        private String name;
        private String source;
        private String type;

        /** The column's name; default: the source's, for a fixed source. */
        public void setName(String name) {
            this.name = name;
        }

        /** Where the value comes from: a fixed source, {@code mdc:<key>} or {@code kv:<key>}. */
        public void setSource(String source) {
            this.source = source;
        }

        /** The column's SQL type; default: the source's. */
        public void setType(String type) {
            this.type = type;
        }
    }
}
