package dev.ringlog.logback;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The application's Logback, configured by a test from a logback.xml resource, as a service configures it at start. */
final class LogbackConfig {

    private LogbackConfig() {
    }

    /**
     * Resets {@code context} (every appender stopped) and its status messages, sets {@code properties} (the
     * resource's {@code ${..}}) and configures it from {@code resource}.
     *
     * @return the appender DB the resource declares, started or not
     */
    static RinglogAppender load(LoggerContext context, String resource, Map<String, String> properties)
            throws JoranException {
        context.reset();
        context.getStatusManager().clear();
        properties.forEach(context::putProperty);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogbackConfig.class.getResource("/" + resource));
        RinglogAppender appender = (RinglogAppender) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("DB");
        assertNotNull(appender, "appender DB configured");
        return appender;
    }

    /** {@link #load}, and the appender started. */
    static RinglogAppender start(LoggerContext context, String resource, Map<String, String> properties)
            throws JoranException {
        RinglogAppender appender = load(context, resource, properties);
        assertTrue(appender.isStarted(), () -> "appender started: " + errors(context));
        return appender;
    }

    /** The errors in Logback's status messages (where an appender reports what it could not do), each with its cause. */
    static List<String> errors(LoggerContext context) {
        List<String> errors = new ArrayList<>();
        for (Status s : context.getStatusManager().getCopyOfStatusList()) {
            if (s.getLevel() == Status.ERROR) {
                errors.add(s.getMessage() + (s.getThrowable() == null ? "" : " / " + s.getThrowable()));
            }
        }
        return errors;
    }
}
