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

    /** When set, the wait at the gate ignores interrupts (a call without a time limit, such as a socket read). */
    volatile boolean uninterruptible;

    @Override
    public void flush() throws InterruptedException {
        entered.release();
        try {
            if (uninterruptible) {
                gate.acquireUninterruptibly();
            } else {
                gate.acquire(); // like a pool's wait for a connection: an interrupt cuts it short
            }
        } catch (InterruptedException e) {
            batch = 0; // the sink contract: a failed flush discards its batch
            throw e;
        }
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
