package dev.ringlog.bench;

import ch.qos.logback.classic.db.DBAppender;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.db.DataSourceConnectionSource;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import dev.ringlog.EventLog;
import java.net.URISyntaxException;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Database appenders end to end: events/s from the first {@code log.info} to the last committed row.
 * Each invocation logs {@code events} (20,000) events from one thread,
 * {@code logger.info("order {} paid", ORDER)}, and returns when all of them are committed; each
 * iteration writes into a table created empty and its teardown checks that it holds exactly
 * {@code events} rows. JMH reports the time of one invocation ({@code SingleShotTime}).
 *
 * <ul>
 *   <li>{@code ringlogLogback}: ringlog-logback's appender from a logback.xml (ring 65,536, batches of at
 *       most 1,000, overflow {@code block}: nothing dropped), columns ts, level, logger, thread, message;</li>
 *   <li>{@code ringlogLog4j2}: ringlog-log4j2's {@code <Ringlog>} from a log4j2.xml, same settings, behind
 *       Log4j2's synchronous loggers (ringlog is the only asynchronous hop);</li>
 *   <li>{@code log4j2JdbcAppender}: Log4j2 2.24's JDBC appender behind all-async loggers (its fastest
 *       documented setup: the flags of {@link Log4jSetup}), {@code bufferSize=1000}, connections from the
 *       same HikariCP pool, the same columns ({@code id} from {@code %sn});</li>
 *   <li>{@code logbackDbAppender}: logback-db 1.5.32's {@code DBAppender} on a
 *       {@code DataSourceConnectionSource} over the same pool (the pooled setup its manual recommends): one
 *       transaction per event on the logging thread, into its own fixed schema ({@code logging_event}, which
 *       adds the caller's class, method, file and line and up to four arguments; the caller data is
 *       computed per event).</li>
 * </ul>
 * {@code -p database=h2} (an H2 file) or {@code postgresql} (the server at {@code RINGLOG_PG_URL}).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class AppenderBenchmark {

    static final String ORDER = "o-4711";
    static final String TABLE = "bench_app_logs";

    /** The database and the number of events per invocation. */
    @State(Scope.Benchmark)
    public static class Db {
        @Param({BenchDatabase.H2, BenchDatabase.POSTGRESQL})
        public String database;

        /** Small enough for DBAppender's one commit per event (hundreds to a few thousand a second). */
        @Param("20000")
        public int events;

        BenchDatabase db;

        @Setup(Level.Trial)
        public void open() {
            db = BenchDatabase.open(database, "appenders", 4);
        }

        /** The table of ringlog's appenders and Log4j2's JDBC appender, dropped and created empty. */
        void recreateLogTable() throws SQLException {
            String text = database.equals(BenchDatabase.H2) ? "CHARACTER VARYING" : "TEXT";
            db.execute("DROP TABLE IF EXISTS " + TABLE, "CREATE TABLE " + TABLE + " (id BIGINT NOT NULL PRIMARY KEY,"
                    + " ts TIMESTAMP(6) NOT NULL, level VARCHAR(5) NOT NULL, logger VARCHAR(255) NOT NULL,"
                    + " thread VARCHAR(255), message " + text + ")");
        }

        /** The properties that the files in appender-bench read: the pool's URL and user, and the table. */
        java.util.Map<String, String> configProperties() {
            return java.util.Map.of("bench.url", db.urlWithPoolSettings(), "bench.user", db.user(),
                    "bench.password", db.password(), "bench.table", TABLE);
        }

        @TearDown(Level.Trial)
        public void close() {
            db.close();
        }
    }

    /** ringlog-logback's appender, configured by {@code appender-bench/logback-ringlog.xml}, started per iteration. */
    @State(Scope.Benchmark)
    public static class RinglogLogback {
        ch.qos.logback.classic.LoggerContext context;
        dev.ringlog.logback.RinglogAppender appender;
        org.slf4j.Logger logger;
        Db db;

        @Setup(Level.Iteration)
        public void start(Db db) throws SQLException, JoranException {
            this.db = db;
            db.recreateLogTable();
            context = newLogbackContext();
            db.configProperties().forEach(context::putProperty);
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(AppenderBenchmark.class.getResource("/appender-bench/logback-ringlog.xml"));
            appender = (dev.ringlog.logback.RinglogAppender) context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("DB");
            if (appender == null || !appender.isStarted()) {
                throw new IllegalStateException("ringlog-logback not started: " + context.getStatusManager().getCopyOfStatusList());
            }
            logger = context.getLogger("bench.appender");
        }

        @TearDown(Level.Iteration)
        public void stop() throws SQLException {
            context.stop();
            db.db.expectRows(TABLE, db.events, "ringlogLogback");
        }
    }

    /** ringlog-log4j2's {@code <Ringlog>}, configured by {@code appender-bench/log4j2-ringlog.xml}, synchronous loggers. */
    @State(Scope.Benchmark)
    public static class RinglogLog4j2 {
        org.apache.logging.log4j.core.LoggerContext context;
        EventLog<?> log;
        org.apache.logging.log4j.Logger logger;
        Db db;

        @Setup(Level.Iteration)
        public void start(Db db) throws SQLException, URISyntaxException {
            this.db = db;
            db.recreateLogTable();
            db.configProperties().forEach(System::setProperty);
            context = new org.apache.logging.log4j.core.LoggerContext("bench-ringlog", null,
                    AppenderBenchmark.class.getResource("/appender-bench/log4j2-ringlog.xml").toURI());
            context.start();
            dev.ringlog.log4j2.RinglogAppender appender = context.getConfiguration().getAppender("DB");
            if (appender == null || !appender.isStarted()) {
                throw new IllegalStateException("ringlog-log4j2 not started (see the StatusLogger above)");
            }
            log = appender.eventLog();
            logger = context.getLogger("bench.appender");
        }

        @TearDown(Level.Iteration)
        public void stop() throws SQLException {
            context.stop();
            db.db.expectRows(TABLE, db.events, "ringlogLog4j2");
        }
    }

    /**
     * Log4j2's JDBC appender behind all-async loggers, {@code bufferSize=1000}, on the pool's connections
     * ({@link Log4jConnections}); one configuration per trial, the table emptied per iteration (the appender
     * holds no connection between flushes).
     */
    @State(Scope.Benchmark)
    public static class Log4j2Jdbc {
        org.apache.logging.log4j.core.LoggerContext context;
        org.apache.logging.log4j.Logger logger;
        Db db;

        @Setup(Level.Trial)
        public void start(Db db) throws SQLException {
            this.db = db;
            db.recreateLogTable();
            // id: Log4j2's sequence number, one per event, in order (the appender writes in order): the
            // largest id minus the smallest plus one is the count of committed rows, read from the key alone.
            context = Log4jSetup.toJdbcAppender(db.db, TABLE, "%sn", new String[][] {{"level", "%level"},
                    {"logger", "%logger"}, {"thread", "%thread"}, {"message", "%message"}});
            logger = context.getLogger("bench.appender");
        }

        @Setup(Level.Iteration)
        public void emptyTable() throws SQLException {
            db.recreateLogTable();
        }

        @TearDown(Level.Iteration)
        public void check() throws SQLException {
            db.db.expectRows(TABLE, db.events, "log4j2JdbcAppender");
        }

        /** Committed rows, from the key's range (two index reads, not a count of the table). */
        long committed() {
            try {
                return db.db.idRange(TABLE);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the ids of " + TABLE, e);
            }
        }
    }

    /** logback-db's DBAppender on a DataSourceConnectionSource over the benchmark's pool, its schema created empty per iteration. */
    @State(Scope.Benchmark)
    public static class LogbackDb {
        ch.qos.logback.classic.LoggerContext context;
        org.slf4j.Logger logger;
        Db db;

        @Setup(Level.Iteration)
        public void start(Db db) throws SQLException {
            this.db = db;
            boolean h2 = db.database.equals(BenchDatabase.H2);
            String text = h2 ? "CHARACTER VARYING" : "TEXT";
            // logback-db's own scripts (ch/qos/logback/classic/db/script/h2.sql, postgresql.sql), with H2 2.x's types.
            db.db.execute("DROP TABLE IF EXISTS logging_event_exception", "DROP TABLE IF EXISTS logging_event_property",
                    "DROP TABLE IF EXISTS logging_event",
                    "CREATE TABLE logging_event (timestmp BIGINT NOT NULL, formatted_message " + text + " NOT NULL,"
                            + " logger_name VARCHAR(254) NOT NULL, level_string VARCHAR(254) NOT NULL, thread_name VARCHAR(254),"
                            + " reference_flag SMALLINT, arg0 VARCHAR(254), arg1 VARCHAR(254), arg2 VARCHAR(254),"
                            + " arg3 VARCHAR(254), caller_filename VARCHAR(254) NOT NULL, caller_class VARCHAR(254) NOT NULL,"
                            + " caller_method VARCHAR(254) NOT NULL, caller_line CHAR(4) NOT NULL, event_id "
                            + (h2 ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" : "BIGSERIAL PRIMARY KEY") + ")",
                    "CREATE TABLE logging_event_property (event_id BIGINT NOT NULL, mapped_key VARCHAR(254) NOT NULL,"
                            + " mapped_value " + text + ", PRIMARY KEY (event_id, mapped_key),"
                            + " FOREIGN KEY (event_id) REFERENCES logging_event (event_id))",
                    "CREATE TABLE logging_event_exception (event_id BIGINT NOT NULL, i SMALLINT NOT NULL,"
                            + " trace_line VARCHAR(254) NOT NULL, PRIMARY KEY (event_id, i),"
                            + " FOREIGN KEY (event_id) REFERENCES logging_event (event_id))");
            context = newLogbackContext();
            DataSourceConnectionSource source = new DataSourceConnectionSource();
            source.setContext(context);
            source.setDataSource(db.db.dataSource());
            source.start();
            DBAppender appender = new DBAppender();
            appender.setName("DB");
            appender.setContext(context);
            appender.setConnectionSource(source);
            appender.start();
            if (!appender.isStarted()) {
                throw new IllegalStateException("DBAppender not started: " + errors(context));
            }
            ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            root.setLevel(ch.qos.logback.classic.Level.INFO);
            root.addAppender(appender);
            logger = context.getLogger("bench.appender");
        }

        @TearDown(Level.Iteration)
        public void stop() throws SQLException {
            context.stop();
            if (db.db.count("logging_event") != db.events) {
                System.err.println(errors(context)); // DBAppender reports a failed event through addError only
            }
            db.db.expectRows("logging_event", db.events, "logbackDbAppender");
        }

        private static String errors(ch.qos.logback.classic.LoggerContext context) {
            StringBuilder out = new StringBuilder();
            for (Status s : context.getStatusManager().getCopyOfStatusList()) {
                out.append(s).append('\n');
            }
            return out.toString();
        }
    }

    /** A Logback context of its own, not SLF4J's: with the MDC adapter that SLF4J's provider gives its context. */
    static ch.qos.logback.classic.LoggerContext newLogbackContext() {
        ch.qos.logback.classic.LoggerContext context = new ch.qos.logback.classic.LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        return context;
    }

    @Benchmark
    public long ringlogLogback(Db db, RinglogLogback s) {
        org.slf4j.Logger logger = s.logger;
        for (int i = 0; i < db.events; i++) {
            logger.info("order {} paid", ORDER);
        }
        return awaitFlushed(s.appender.eventLog(), db.events, "ringlogLogback");
    }

    @Benchmark
    public long ringlogLog4j2(Db db, RinglogLog4j2 s) {
        org.apache.logging.log4j.Logger logger = s.logger;
        for (int i = 0; i < db.events; i++) {
            logger.info("order {} paid", ORDER);
        }
        return awaitFlushed(s.log, db.events, "ringlogLog4j2");
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", Log4jSetup.ALL_ASYNC, Log4jSetup.SLEEP_WAIT,
            Log4jSetup.THREADLOCALS, Log4jSetup.DIRECT_ENCODERS, Log4jSetup.GC_FREE_CONTEXT, Log4jSetup.NOT_WEBAPP,
            Log4jSetup.QUIET})
    public long log4j2JdbcAppender(Db db, Log4j2Jdbc s) {
        org.apache.logging.log4j.Logger logger = s.logger;
        for (int i = 0; i < db.events; i++) {
            logger.info("order {} paid", ORDER);
        }
        return EndToEndBenchmark.awaitCommitted(db.events, s::committed, () -> null, 5_000_000, "log4j2JdbcAppender");
    }

    @Benchmark
    public long logbackDbAppender(Db db, LogbackDb s) {
        org.slf4j.Logger logger = s.logger;
        for (int i = 0; i < db.events; i++) {
            logger.info("order {} paid", ORDER); // committed when it returns: one transaction per event
        }
        return db.events;
    }

    private static long awaitFlushed(EventLog<?> log, int events, String system) {
        if (!log.flush(EndToEndBenchmark.MAX_WAIT) || log.stats().written() != events) {
            throw new IllegalStateException(system + ": not every event written: " + log.stats());
        }
        return log.stats().written();
    }
}
