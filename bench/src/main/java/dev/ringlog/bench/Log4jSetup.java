package dev.ringlog.bench;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.AppenderComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

/**
 * Log4j2 configurations of the benchmarks, built in code. The JVM flags that make every logger
 * asynchronous and turn on its garbage-free settings are the constants below (whether Log4j2 then
 * allocates nothing per event is measured, not assumed: {@code -prof gc}); they must be set before Log4j2 starts,
 * so the benchmarks pass them to their forked JVMs with {@code @Fork(jvmArgsAppend = ...)}.
 */
final class Log4jSetup {

    /*
     * All loggers asynchronous (the fastest Log4j2 setup), garbage-free settings spelled out (they are
     * the defaults outside web applications), and the Disruptor's {@code SleepingWaitStrategy} so that,
     * like ringlog's default, producers never signal the consumer (Log4j2's own default, {@code Timeout},
     * takes a lock on every publish: slower for the producer). The ring keeps its default size (262,144)
     * and the default queue-full policy (the producer waits: nothing is dropped).
     */
    static final String ALL_ASYNC = "-Dlog4j2.contextSelector=org.apache.logging.log4j.core.async.AsyncLoggerContextSelector";
    static final String SLEEP_WAIT = "-Dlog4j2.asyncLoggerWaitStrategy=Sleep";
    static final String THREADLOCALS = "-Dlog4j2.enableThreadlocals=true";
    static final String DIRECT_ENCODERS = "-Dlog4j2.enableDirectEncoders=true";
    static final String GC_FREE_CONTEXT = "-Dlog4j2.garbagefreeThreadContextMap=true";
    static final String NOT_WEBAPP = "-Dlog4j2.is.webapp=false";
    static final String QUIET = "-Dlog4j2.statusLoggerLevel=WARN";

    private Log4jSetup() {
    }

    /** Every logger at INFO to Log4j2's {@code NullAppender}, which does nothing with the event. */
    static LoggerContext toNullAppender() {
        ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.setConfigurationName("bench-null");
        b.add(b.newAppender("null", "Null"));
        b.add(b.newRootLogger(Level.INFO).add(b.newAppenderRef("null")));
        return start(b);
    }

    /**
     * Every logger at INFO to Log4j2's JDBC appender, {@code bufferSize=1000}, on connections from
     * {@code db}'s pool (through {@link Log4jConnections}), writing {@code idPattern} to the column id (a
     * {@code Long}), the event's timestamp to ts and each {@code {column, pattern}} of {@code columns}.
     * Everything else is the appender's default (the buffer is also flushed at the end of every async
     * batch). The context shuts down before {@code db} closes: its shutdown takes a pooled connection.
     */
    static LoggerContext toJdbcAppender(BenchDatabase db, String table, String idPattern, String[][] columns) {
        Log4jConnections.use(db.dataSource());
        ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.setConfigurationName("bench-jdbc");
        AppenderComponentBuilder jdbc = b.newAppender("db", "JDBC")
                .addAttribute("tableName", table)
                .addAttribute("bufferSize", 1000)
                .addComponent(b.newComponent("ConnectionFactory")
                        .addAttribute("class", Log4jConnections.class.getName())
                        .addAttribute("method", "getConnection"));
        jdbc.addComponent(b.newComponent("ColumnMapping").addAttribute("name", "id")
                .addAttribute("pattern", idPattern).addAttribute("type", Long.class.getName()));
        jdbc.addComponent(b.newComponent("ColumnMapping").addAttribute("name", "ts")
                .addAttribute("type", java.sql.Timestamp.class.getName()));
        for (String[] column : columns) {
            jdbc.addComponent(b.newComponent("ColumnMapping").addAttribute("name", column[0])
                    .addAttribute("pattern", column[1]));
        }
        b.add(jdbc);
        b.add(b.newRootLogger(Level.INFO).add(b.newAppenderRef("db")));
        LoggerContext context = start(b);
        db.beforeClose(() -> Configurator.shutdown(context));
        return context;
    }

    private static LoggerContext start(ConfigurationBuilder<BuiltConfiguration> b) {
        String selector = System.getProperty("log4j2.contextSelector", "");
        if (!selector.endsWith("AsyncLoggerContextSelector")) {
            throw new IllegalStateException("Log4j2 benchmarks need all-async loggers: run with " + ALL_ASYNC);
        }
        return Configurator.initialize(b.build());
    }
}
