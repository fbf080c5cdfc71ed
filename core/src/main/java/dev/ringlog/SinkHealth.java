package dev.ringlog;

import java.time.Instant;

/**
 * A snapshot of the sink's health, from {@link EventLog#sinkHealth()}: for a dashboard, an alert or a
 * health check. Written by the sink thread as it works, read by any thread without a lock.
 *
 * @param state writing, retrying or stopped
 * @param consecutiveFailures failed attempts since the last success (0 while writing)
 * @param failingSince when the first of those failures happened; {@code null} while writing
 * @param lastFailure the last failure's class and message ({@code "java.sql.SQLException: ..."});
 *     {@code null} if no attempt has failed yet. Kept after a recovery, for the record.
 * @param nextAttempt when the failed batch is tried again (the probe); {@code null} unless retrying
 */
public record SinkHealth(SinkState state, int consecutiveFailures, Instant failingSince, String lastFailure,
                         Instant nextAttempt) {
}
