package dev.ringlog;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The synchronous log ({@code ringlog.mode=sync}): each publish writes and commits its event on the
 * caller's thread, one at a time under a lock, through the same {@link Committer} (retries, dead
 * letters, accounting) and a ring of one slot. The rollback switch when the asynchronous path is in
 * doubt; it costs every caller a database round trip. A retryable failure is retried on the caller's
 * thread only as long as the overflow policy allows a publish to wait (none under {@code DROP}), then
 * the event is dead-lettered.
 */
final class SyncEventLog<E> extends EventLog<E> {

    private static final System.Logger LOG = System.getLogger(EventLog.class.getName());

    private final ReentrantLock lock = new ReentrantLock();
    private final ShutdownHook hook;
    private volatile boolean closed;

    private SyncEventLog(Settings<E> settings, RingBuffer<E> ring, Committer<E> committer, Counters counters) {
        super(settings, ring, committer, counters, new SecureRandom().nextLong());
        this.hook = settings.shutdownHook ? new ShutdownHook(this) : null;
    }

    static <E> EventLog<E> start(Settings<E> settings, Supplier<? extends E> factory, Sink<? super E> sink) {
        // One slot, one producer at a time (the lock holder); the wait strategy is never waited on.
        // A multi-producer sequencer because the lock holder changes thread: the single-producer one
        // asserts it is always called from the same thread.
        RingBuffer<E> ring = RingBuffer.createMultiProducer(factory::get, 1, new BlockingWaitStrategy());
        Counters counters = new Counters();
        // A publishing thread retries a failing store only as long as the overflow policy lets it
        // wait for room: DROP, not at all (the event is dead-lettered); blockFor(d), up to d; BLOCK,
        // until the store is back. The same promise the policy makes in async mode.
        Committer<E> committer = new Committer<>(settings, ring, sink, counters, settings.overflow.maxWaitNanos());
        ring.addGatingSequences(committer.sequence());
        SyncEventLog<E> log = new SyncEventLog<>(settings, ring, committer, counters);
        if (log.hook != null) {
            log.hook.register();
        }
        return log;
    }

    /**
     * Takes the lock and the slot. A publish from inside the sink or the dead-letter handler (the
     * lock is already held by this thread) is dropped: writing it would re-enter the sink mid-batch.
     */
    @Override
    long claim(Object durable) {
        if (closed || lock.isHeldByCurrentThread()) {
            return drop(durable);
        }
        lock.lock();
        if (closed) {
            lock.unlock();
            return drop(durable);
        }
        long sequence = ring.next(); // never waits: the previous event was resolved under this lock
        if (durable != null) {
            committer.tag(sequence, durable);
        }
        return sequence; // the lock stays held until release()
    }

    private long drop(Object durable) {
        counters.addDropped();
        rejectDurable(durable, closed ? "log closed" : "published from inside the sink");
        return -1;
    }

    /** Writes and commits the event, then releases the lock taken by {@link #claim}. */
    @Override
    boolean release(long sequence) {
        try {
            ring.publish(sequence);
            committer.commit(sequence, sequence);
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    void requestFlush(long target) {
        // Nothing to ask: every event is committed before its publish returns.
    }

    @Override
    void wakeSinkThread() {
        // There is no sink thread.
    }

    @Override
    boolean isTerminated() {
        return closed && !lock.isLocked();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (hook != null) {
            hook.unregister();
        }
        try {
            if (lock.tryLock(settings.shutdownTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                try {
                    committer.closeSink();
                } finally {
                    lock.unlock();
                }
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        committer.halt();
        LOG.log(Level.ERROR, () -> "ringlog[" + name + "]: shutdownTimeout=" + Settings.format(settings.shutdownTimeout)
                + " expired while a publish was still writing (the sink is down or stuck); the sink was not closed: " + stats());
    }
}
