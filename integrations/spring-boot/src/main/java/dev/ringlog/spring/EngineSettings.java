package dev.ringlog.spring;

import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The engine's {@code ringlog.*} properties, in Boot's kebab-case, handed to
 * {@link EventLog.Builder#configure} under its own keys ({@code ringlog.ring-size} as
 * {@code ringlog.ringSize}), so that a Boot application gets exactly ringlog's checks. A value it refuses
 * fails startup with Boot's {@link InvalidConfigurationPropertyValueException}, which names the property
 * as the application wrote it, the value and ringlog's rule (with the allowed range).
 */
final class EngineSettings {

    private record Key(String property, String engineKey, Function<RinglogProperties, String> value) {
    }

    private static final List<Key> KEYS = List.of(
            new Key("ringlog.name", "ringlog.name", RinglogProperties::getName),
            new Key("ringlog.ring-size", "ringlog.ringSize", RinglogProperties::getRingSize),
            new Key("ringlog.max-batch-size", "ringlog.maxBatchSize", RinglogProperties::getMaxBatchSize),
            new Key("ringlog.linger", "ringlog.linger", RinglogProperties::getLinger),
            new Key("ringlog.overflow", "ringlog.overflow", RinglogProperties::getOverflow),
            new Key("ringlog.shutdown-timeout", "ringlog.shutdownTimeout", RinglogProperties::getShutdownTimeout),
            new Key("ringlog.mode", "ringlog.mode", RinglogProperties::getMode),
            new Key("ringlog.wait-strategy", "ringlog.waitStrategy", RinglogProperties::getWaitStrategy));

    private EngineSettings() {
    }

    /** Applies every engine property that is set to {@code builder}; throws for the first bad one. */
    static EventLog.Builder<LogEvent> apply(RinglogProperties properties, EventLog.Builder<LogEvent> builder) {
        for (Key key : KEYS) {
            String value = key.value().apply(properties);
            if (value != null) {
                try {
                    builder.configure(Map.of(key.engineKey(), value));
                } catch (IllegalArgumentException e) {
                    throw new InvalidConfigurationPropertyValueException(key.property(), value, e.getMessage());
                }
            }
        }
        return builder;
    }

    /**
     * Starts the log; a rule between two values that {@code start()} checks ({@code max-batch-size} at most
     * {@code ring-size}) fails naming the property its message names.
     */
    static EventLog<LogEvent> start(RinglogProperties properties, EventLog.Builder<LogEvent> builder) {
        try {
            return builder.start();
        } catch (IllegalArgumentException e) {
            for (Key key : KEYS) {
                String value = key.value().apply(properties);
                if (value != null && e.getMessage().startsWith(key.engineKey() + " ")) {
                    throw new InvalidConfigurationPropertyValueException(key.property(), value, e.getMessage());
                }
            }
            throw e;
        }
    }
}
