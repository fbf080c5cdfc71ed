package dev.ringlog.spring;

import dev.ringlog.EventLog;
import dev.ringlog.SinkHealth;
import dev.ringlog.SinkState;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * The health contributor {@code ringlog} ({@code /actuator/health/ringlog}): UP while the sink writes,
 * and while it has been retrying (the database failing) for less than {@code ringlog.health.down-after};
 * DOWN after that, and once the sink thread has stopped (the log closed, or the thread died). Details:
 * the sink's state, the counters, and while failing since when, how often, why and the next attempt.
 * Reads the log on demand (a few volatile reads), on the thread asking.
 */
final class RinglogHealthIndicator extends AbstractHealthIndicator {

    private final EventLog<?> log;
    private final Duration downAfter;

    RinglogHealthIndicator(EventLog<?> log, Duration downAfter) {
        super("ringlog health check failed");
        this.log = log;
        this.downAfter = downAfter;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        SinkHealth sink = log.sinkHealth();
        EventLog.Stats stats = log.stats();
        boolean down = sink.state() == SinkState.STOPPED
                || (sink.state() == SinkState.RETRYING
                    && sink.failingSince().plus(downAfter).isBefore(Instant.now()));
        (down ? builder.down() : builder.up())
                .withDetail("name", log.name())
                .withDetail("state", sink.state())
                .withDetail("pending", stats.pending())
                .withDetail("written", stats.written())
                .withDetail("failed", stats.failed())
                .withDetail("dropped", stats.dropped())
                .withDetail("retries", stats.retries())
                .withDetail("consecutiveFailures", sink.consecutiveFailures())
                .withDetail("downAfter", downAfter.toString());
        detail(builder, "failingSince", sink.failingSince());
        detail(builder, "nextAttempt", sink.nextAttempt());
        detail(builder, "lastFailure", sink.lastFailure());
    }

    /** Health details may not be null: an absent value is left out. */
    private static void detail(Health.Builder builder, String key, Object value) {
        if (value != null) {
            builder.withDetail(key, value.toString());
        }
    }
}
