package dev.ringlog;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A sink that rejects every event whose index is a multiple of {@code rejectEvery} (not retryable: the
 * event's fault) and fails every {@code failEvery}-th flush (retryable: a lost connection); counts what
 * it commits, for comparison with the log's counters.
 */
final class FlakySink implements Sink<TestEvent> {
    final AtomicLong committed = new AtomicLong();
    private final long rejectEvery;
    private final long failEvery;
    private long batch;
    private long flushes;

    FlakySink(long rejectEvery, long failEvery) {
        this.rejectEvery = rejectEvery;
        this.failEvery = failEvery;
    }

    @Override
    public void add(TestEvent e) {
        if (e.index % rejectEvery == 0) {
            batch = 0;
            throw new IllegalArgumentException("rejected " + e.index);
        }
        batch++;
    }

    @Override
    public void flush() throws IOException {
        if (++flushes % failEvery == 0) {
            batch = 0;
            throw new IOException("connection lost");
        }
        committed.addAndGet(batch);
        batch = 0;
    }
}
