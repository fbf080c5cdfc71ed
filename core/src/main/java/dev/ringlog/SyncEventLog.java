package dev.ringlog;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
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
    /** Guarded by {@link #lock}: whoever holds the lock once the log is closed closes the sink, once. */
    private boolean sinkClosed;

    private final Committer<E> committer;

    private SyncEventLog(Settings<E> settings, RingBuffer<E> ring, SlotRelease<E> slots, Counters counters, long idBase) {
        super(settings, ring, slots, counters, idBase);
        this.committer = sinks[0];
    }

    static <E> EventLog<E> start(Settings<E> settings, Supplier<? extends E> factory) {
        // One slot, one producer at a time (the lock holder); the wait strategy is never waited on.
        // A multi-producer sequencer because the lock holder changes thread: the single-producer one
        // asserts it is always called from the same thread.
        RingBuffer<E> ring = RingBuffer.createMultiProducer(factory::get, 1, new BlockingWaitStrategy());
        Counters counters = new Counters();
        // A publishing thread retries a failing store only as long as the overflow policy lets it
        // wait for room: DROP, not at all (the event is dead-lettered); blockFor(d), up to d; BLOCK,
        // until the store is back. The same promise the policy makes in async mode.
        SlotRelease<E> slots = new SlotRelease<>(settings, ring, counters);
        long idBase = new SecureRandom().nextLong();
        slots.sinks(committers(settings, slots, ring.get(0), idBase, settings.overflow.maxWaitNanos()));
        ring.addGatingSequences(slots.sequence());
        return new SyncEventLog<>(settings, ring, slots, counters, idBase).started();
    }

    /**
     * Takes the lock and the slot. A publish from inside the sink or the dead-letter handler (the
     * lock is already held by this thread) is dropped: writing it would re-enter the sink mid-batch.
     */
    @Override
    long claim(Object durable) {
        if (closed.isSet()) {
            return drop(durable, DropReason.CLOSED);
        }
        if (lock.isHeldByCurrentThread()) {
            return drop(durable, DropReason.FROM_SINK);
        }
        lock.lock();
        if (closed.isSet()) {
            lock.unlock();
            return drop(durable, DropReason.CLOSED);
        }
        long sequence = ring.next(); // never waits: the previous event was resolved under this lock
        if (durable != null) {
            slots.tag(sequence, durable);
        }
        return sequence; // the lock stays held until release()
    }

    /**
     * Writes and commits the event, then releases the lock taken by {@link #claim}. If a close() whose
     * shutdownTimeout expired halted the write, the event was not written: the publish is refused and
     * counted as a drop, its future failed, rather than left pending forever. The lock holder closes the
     * sink when the log was closed meanwhile (close() could not: this publish held the lock, or it was
     * the sink itself calling close() in the middle of its batch).
     */
    @Override
    boolean release(long sequence) {
        try {
            ring.publish(sequence);
            committer.select(sequence, sequence);
            if (committer.commit(sequence, sequence)) {
                return true;
            }
            Object durable = slots.untag(sequence);
            counters.addAbandoned(DropReason.CLOSED); // halted by a close() that timed out while it was written
            rejectDurable(durable instanceof CompletableFuture ? durable : null, DropReason.CLOSED);
            return false;
        } finally {
            if (closed.isSet()) {
                closeSinkOnce();
            }
            lock.unlock();
        }
    }

    /** Closes the sink unless done already; the caller holds the lock. */
    private void closeSinkOnce() {
        if (!sinkClosed) {
            sinkClosed = true;
            committer.closeSink();
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
        return closed.isSet() && !lock.isLocked();
    }

    @Override
    boolean isStopped(int sink) {
        return isTerminated();
    }

    /**
     * Waits up to {@code shutdownTimeout} for a publish that is writing, then closes the sink. Called
     * from inside the sink (the lock is this thread's), or when the time runs out, the publish holding
     * the lock closes the sink when it finishes; on timeout it is also halted, so a retrying publish
     * gives up (its event is refused, not left pending).
     */
    @Override
    void closeWithin(long timeout) {
        closed.setThenReadCursor(ring);
        if (lock.isHeldByCurrentThread()) {
            return; // release() closes the sink once this batch is done
        }
        if (tryLock(timeout)) {
            try {
                closeSinkOnce();
            } finally {
                lock.unlock();
            }
            return;
        }
        committer.halt();
        LOG.log(Level.ERROR, () -> "ringlog[" + name + "]: shutdownTimeout=" + Settings.format(settings.shutdownTimeout)
                + " expired while a publish was still writing (the sink is down or stuck); that publish is"
                + " halted and closes the sink when it returns: " + stats());
    }

    private boolean tryLock(long nanos) {
        try {
            return lock.tryLock(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
