package dev.ringlog.log4j2;

import dev.ringlog.EventLog;
import dev.ringlog.logging.internal.AuditTimeout;
import dev.ringlog.logging.internal.LogColumn;
import dev.ringlog.logging.internal.LogDialect;
import dev.ringlog.logging.internal.LogTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderFactory;
import org.apache.logging.log4j.core.config.plugins.PluginElement;
import org.apache.logging.log4j.core.config.plugins.validation.constraints.Required;

/**
 * A Log4j2 appender ({@code <Ringlog>}) that publishes each logging event into a ringlog
 * {@link EventLog}, whose sink thread writes them in batches to a database table through
 * {@code JdbcSink}: the same table and columns as ringlog-logback's appender.
 *
 * <pre>{@code
 * <Ringlog name="DB" url="jdbc:postgresql://db:5432/app" user="app" password="${env:DB_PASSWORD}" table="app_logs">
 *   <!-- optional: the columns (the standard ones when none is declared) -->
 *   <RinglogColumn source="ts"/>
 *   <RinglogColumn source="message"/>
 *   <RinglogColumn name="user_id" source="mdc:user" type="BIGINT"/>
 * </Ringlog>
 * <!-- or directory="logs": an embedded H2 file database -->
 * }</pre>
 *
 * <p>The columns are those of ringlog-logback, with the same {@code name}, {@code source} and {@code type};
 * here {@code mdc:<key>} reads the context data ({@code ThreadContext}) and {@code kv:<key>} the data of a
 * {@link org.apache.logging.log4j.message.MapMessage MapMessage} ({@code StringMapMessage}, Log4j2's
 * key-value pairs). A value that does not convert to its column's type dead-letters its event alone.
 *
 * <p>{@code append} runs on the logging thread: it copies the (mutable, reused) event into a ring
 * slot and returns; with the default overflow {@code drop} it never blocks (a full ring drops and
 * counts the event). Behind synchronous loggers, ringlog is then the only asynchronous hop; behind
 * Log4j2's async loggers it runs on their background thread, whose ring then absorbs a full ringlog ring
 * under {@code overflow="block"}. An event whose marker is or descends from {@code auditMarker}
 * ({@code AUDIT}) is published durably: its loss is reported on the StatusLogger, and with
 * {@code auditTimeout} above zero the logging call waits at most that long for its commit.
 *
 * <p>No loop: events of the log's sink thread and of the loggers under {@code dev.ringlog},
 * {@code com.zaxxer.hikari}, {@code org.postgresql}, {@code org.mariadb} and {@code org.h2} are
 * dropped before the ring and counted ({@link #droppedOwnEvents()}); route them to another appender.
 *
 * <p>The log lives in a {@link RinglogManager} shared across reconfigurations: a reload keeps the same
 * log and ring and loses nothing; the manager closes the log when no configuration uses it. The manager
 * is keyed by the appender's name, database and table: a reload that changes only the ring's settings
 * keeps the running log (they apply at the next start; so do changed columns), one that changes the database starts a new log.
 */
@Plugin(name = "Ringlog", category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE, printObject = true)
public final class RinglogAppender extends AbstractAppender {

    private final RinglogManager manager;
    private final String auditMarker;
    private final Duration auditTimeout;
    private final LongAdder ownEvents = new LongAdder();

    private RinglogAppender(String name, Filter filter, RinglogManager manager, String auditMarker, Duration auditTimeout) {
        super(name, filter, null, true, Property.EMPTY_ARRAY);
        this.manager = manager;
        this.auditMarker = auditMarker;
        this.auditTimeout = auditTimeout;
    }

    /** Log4j2's builder of this plugin: the attributes of {@code <Ringlog>}. */
    @PluginBuilderFactory
    public static Builder newBuilder() {
        return new Builder();
    }

    /** The log (its stats, {@code flush}, Micrometer's {@code RinglogMetrics}), shared across reconfigurations. */
    public EventLog<?> eventLog() {
        return manager.log();
    }

    /** Events dropped because ringlog, its pool or a driver logged them (see the class comment). */
    public long droppedOwnEvents() {
        return ownEvents.sum();
    }

    @Override
    public void append(LogEvent event) {
        if (manager.onSinkThread() || LogTable.isOwnLogger(event.getLoggerName())) {
            ownEvents.increment();
            return;
        }
        if (auditMarker != null && event.getMarker() != null && event.getMarker().isInstanceOf(auditMarker)) {
            appendDurably(event);
        } else {
            manager.publish(event);
        }
    }

    private void appendDurably(LogEvent event) {
        CompletableFuture<Void> done = manager.publishDurable(event);
        String logger = event.getLoggerName();
        if (auditTimeout.isZero()) {
            reportLoss(logger, done);
            return;
        }
        try {
            done.get(auditTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOGGER.warn("ringlog[{}]: {} event of {} not committed within auditTimeout={}; the logging call returned",
                    getName(), auditMarker, logger, auditTimeout);
            reportLoss(logger, done);
        } catch (ExecutionException e) {
            LOGGER.error("ringlog[{}]: {} event of {} not written: {}", getName(), auditMarker, logger, e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reportLoss(logger, done);
        }
    }

    private void reportLoss(String logger, CompletableFuture<Void> done) {
        done.whenComplete((ok, failure) -> {
            if (failure != null) {
                LOGGER.error("ringlog[{}]: {} event of {} not written: {}", getName(), auditMarker, logger, failure, failure);
            }
        });
    }

    /** Releases this configuration's hold on the manager: the last one drains and closes the log. */
    @Override
    public boolean stop(long timeout, TimeUnit timeUnit) {
        setStopping();
        boolean stopped = super.stop(timeout, timeUnit, false);
        stopped &= manager.stop(timeout, timeUnit);
        setStopped();
        return stopped;
    }

    /** The attributes of {@code <Ringlog>}; {@code name} and either {@code url} or {@code directory} are required. */
    public static final class Builder implements org.apache.logging.log4j.core.util.Builder<RinglogAppender> {

        @PluginBuilderAttribute
        @Required(message = "ringlog: <Ringlog> needs a name")
        private String name;
        @PluginBuilderAttribute
        private String url;
        @PluginBuilderAttribute
        private String user;
        @PluginBuilderAttribute(sensitive = true)
        private String password;
        @PluginBuilderAttribute
        private String directory;
        @PluginBuilderAttribute
        private int maxPoolSize = 2;
        @PluginBuilderAttribute
        private String table = "ringlog_logs";
        @PluginBuilderAttribute
        private String ringSize;
        @PluginBuilderAttribute
        private String maxBatchSize;
        @PluginBuilderAttribute
        private String linger;
        @PluginBuilderAttribute
        private String overflow;
        @PluginBuilderAttribute
        private String shutdownTimeout;
        @PluginBuilderAttribute
        private String mode;
        @PluginBuilderAttribute
        private String auditMarker = "AUDIT";
        @PluginBuilderAttribute
        private String auditTimeout = "0";
        @PluginElement("Filter")
        private Filter filter;
        @PluginElement("RinglogColumn")
        private RinglogColumn[] columns;

        /** Builds the appender on the manager of its name and database; {@code null} (reported) if a setting is wrong. */
        @Override
        public RinglogAppender build() {
            if ((url == null) == (directory == null)) {
                LOGGER.error("ringlog: <Ringlog name=\"{}\"> needs either url (a JDBC URL) or directory (an embedded H2"
                        + " database), not {}", name, url == null ? "neither" : "both");
                return null;
            }
            try {
                List<LogColumn> declared = new ArrayList<>();
                for (RinglogColumn c : columns == null ? new RinglogColumn[0] : columns) {
                    declared.add(LogColumn.of(c.name, c.source, c.type));
                }
                LogTable logTable = new LogTable(directory != null ? LogDialect.H2 : LogDialect.forUrl(url), table, declared);
                Duration wait = AuditTimeout.parse(auditTimeout);
                Map<String, String> config = new LinkedHashMap<>();
                put(config, "ringSize", ringSize);
                put(config, "maxBatchSize", maxBatchSize);
                put(config, "linger", linger);
                put(config, "overflow", overflow);
                put(config, "shutdownTimeout", shutdownTimeout);
                put(config, "mode", mode);
                RinglogManager manager = RinglogManager.of(new RinglogManager.Settings(name, url, user, password,
                        directory, maxPoolSize, logTable, config));
                return new RinglogAppender(name, filter, manager, auditMarker, wait);
            } catch (RuntimeException e) {
                LOGGER.error("ringlog: appender {} not created: {}", name, e.getMessage(), e);
                return null;
            }
        }

        private static void put(Map<String, String> config, String key, String value) {
            if (value != null) {
                config.put("ringlog." + key, value);
            }
        }
    }
}
