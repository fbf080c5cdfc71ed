package dev.ringlog;

import java.time.Instant;

/**
 * What the sink thread knows about its sink, for {@link EventLog#sinkHealth()}, batch sizes and commit
 * times. Written only by the {@link Committer}'s thread (single writer: plain writes to volatile fields
 * and {@link Recorder}s), read by any thread; nothing here is touched by {@code publish}.
 */
final class SinkMonitor {

    private final Recorder batchSizes = new Recorder();
    private final Recorder commitNanos = new Recorder();
    private final Recorder durableAckNanos = new Recorder();
    private volatile int consecutiveFailures;
    private volatile long failingSinceMillis;
    private volatile long nextAttemptMillis;
    private volatile String lastFailure;

    /** A delivery of {@code events} committed in {@code nanos}: the sink is writing again. */
    void committed(int events, long nanos) {
        batchSizes.record(events);
        commitNanos.record(nanos);
        if (consecutiveFailures != 0) {
            consecutiveFailures = 0;
            failingSinceMillis = 0;
            nextAttemptMillis = 0;
        }
    }

    /** A durable event published at {@code publishedAt} (nanoTime) is committed now. */
    void acknowledged(long publishedAt) {
        durableAckNanos.record(System.nanoTime() - publishedAt);
    }

    /** A delivery failed with a retryable failure; the next attempt is due in {@code delayNanos}. */
    void retrying(Throwable failure, long delayNanos) {
        long now = System.currentTimeMillis();
        if (consecutiveFailures == 0) {
            failingSinceMillis = now;
        }
        lastFailure = describe(failure);
        nextAttemptMillis = now + delayNanos / 1_000_000;
        consecutiveFailures = consecutiveFailures + 1;
    }

    /** A failure that is not retried (an event's fault, or retries exhausted): recorded, not a state. */
    void failed(Throwable failure) {
        lastFailure = describe(failure);
    }

    SinkHealth health(boolean stopped) {
        int failures = consecutiveFailures; // read first: the fields below belong to it
        SinkState state = stopped ? SinkState.STOPPED : failures > 0 ? SinkState.RETRYING : SinkState.WRITING;
        return new SinkHealth(state, failures, failures > 0 ? instant(failingSinceMillis) : null, lastFailure,
                state == SinkState.RETRYING ? instant(nextAttemptMillis) : null);
    }

    Distribution batchSizes() {
        return batchSizes.snapshot();
    }

    Distribution commitNanos() {
        return commitNanos.snapshot();
    }

    Distribution durableAckNanos() {
        return durableAckNanos.snapshot();
    }

    private static Instant instant(long millis) {
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
    }

    private static String describe(Throwable failure) {
        return failure.getMessage() == null ? failure.getClass().getName()
                : failure.getClass().getName() + ": " + failure.getMessage();
    }
}
