package dev.ringlog;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A step-controlled sink: each flush announces itself and then blocks until the test releases it.
 * Counts committed events.
 */
final class GatedSink<E> implements Sink<E> {
    final Semaphore entered = new Semaphore(0);
    final Semaphore gate = new Semaphore(0);
    final AtomicLong committed = new AtomicLong();
    private long batch;

    @Override
    public void add(E event) {
        batch++;
    }

    @Override
    public void flush() throws InterruptedException {
        entered.release();
        gate.acquire();
        committed.addAndGet(batch);
        batch = 0;
    }

    /** Waits until the sink thread is blocked inside a flush. */
    void awaitFlushEntered() throws InterruptedException {
        if (!entered.tryAcquire(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the sink thread never reached flush");
        }
    }

    void openForever() {
        gate.release(Integer.MAX_VALUE / 2);
    }
}
