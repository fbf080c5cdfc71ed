package dev.ringlog;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import java.lang.System.Logger.Level;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The sink thread's work: reads events from the ring and hands batches to the {@link Committer}.
 *
 * <p>Why not the Disruptor's {@code BatchEventProcessor}: it advances its sequence at the end of
 * every Disruptor batch, so an event held back for {@code linger} or awaiting a retry would be
 * released to producers and overwritten; its batch rewind replays only the current Disruptor batch
 * and cannot hold events across batches. This loop advances its sequence (the
 * {@link Committer}'s) only once events are committed or dead-lettered, so the ring is the retry
 * buffer and nothing is copied. It also wakes up without events ({@link TimeoutException} from the
 * wait strategy) to flush a lingering batch.
 *
 * <p>A batch is flushed when {@code maxBatchSize} events are pending, when the sink thread has
 * caught up with the producers and {@code linger} is zero (or a flush or close asks for it), or when
 * {@code linger} has passed since the oldest pending event was read.
 */
final class SinkProcessor<E> implements Runnable {

    private static final System.Logger LOG = System.getLogger(EventLog.class.getName());
    private static final long NO_DRAIN = Long.MAX_VALUE;

    /** The log's name, with the sink's when the log has several: for the messages of this sink thread. */
    private final String name;
    private final String logName;
    private final RingBuffer<E> ring;
    private final SequenceBarrier barrier;
    private final Committer<E> committer;
    private final Counters counters;
    private final Ticker ticker;
    private final long lingerNanos;
    private final int maxBatchSize;
    private final String overflow;
    private final boolean reportsDrops;

    private final AtomicBoolean running = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong flushTarget = new AtomicLong(-1);
    private volatile long drainTarget = NO_DRAIN;
    private volatile Thread thread;

    private final RateLimit dropLog = new RateLimit();
    private long droppedReported;

    /**
     * The sink thread of {@code committer}'s sink, with that sink's batching. {@code reportsDrops}: the
     * log's drops are logged by one sink thread only (the first sink's). {@code upstream}: the sequences
     * this sink may not pass: none (the ring's cursor), or the journal thread's, so that the sink only
     * ever writes what is journalled.
     */
    SinkProcessor(Settings<E> settings, SinkOptions<E> sink, RingBuffer<E> ring, Committer<E> committer, Counters counters,
                  boolean reportsDrops, Sequence... upstream) {
        this.name = settings.sinks.size() > 1 ? settings.name + " sink " + sink.name : settings.name;
        this.logName = settings.name;
        this.ring = ring;
        this.barrier = ring.newBarrier(upstream);
        this.committer = committer;
        this.counters = counters;
        this.reportsDrops = reportsDrops;
        this.ticker = settings.ticker;
        this.lingerNanos = Settings.saturatedNanos(sink.linger);
        this.maxBatchSize = sink.maxBatchSize;
        this.overflow = settings.overflow.toString();
    }

    @Override
    public void run() {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("ringlog[" + name + "]: the sink processor is already running");
        }
        thread = Thread.currentThread();
        String stoppedBy = "the log was closed with shutdownTimeout expired";
        try {
            processEvents();
        } catch (Throwable t) {
            // Unreachable unless the JVM is in trouble (sink failures are caught in the Committer): say
            // so loudly. The log stops draining; producers that wait for room give up (see isStopped).
            stoppedBy = "the sink thread died (" + t + ")";
            try {
                LOG.log(Level.ERROR, () -> "ringlog[" + name + "]: sink thread died; events will pile up in the ring", t);
            } catch (Throwable ignored) {
                // the logging backend is what failed
            }
        } finally {
            // The interrupt close() may have sent to cut a blocking call short has done its work.
            Thread.interrupted();
            // This thread alone decides the outcome of every slot: what it did not resolve, it cancels
            // here, after its last commit, so close() never races it over a slot.
            try {
                if (committer.resolvedThrough() < ring.getCursor()) {
                    committer.cancelUnresolved(stoppedBy);
                }
                reportDrops(ticker.read(), true);
            } catch (Throwable t) {
                // what killed the thread may strike again here (a ticker, a logging backend): still stop cleanly
            } finally {
                committer.closeSink();
                stopped.countDown();
            }
        }
    }

    private void processEvents() {
        long next = committer.resolvedThrough() + 1;
        long firstPendingAt = 0;
        while (!committer.isHalted()) {
            long resolved = committer.resolvedThrough();
            long available;
            try {
                available = barrier.waitFor(next);
            } catch (AlertException nudge) {
                // flush() or close(): take what is published now, without waiting for more.
                barrier.clearAlert();
                available = publishedFrom(next, resolved + maxBatchSize);
            } catch (TimeoutException idle) {
                available = next - 1;
            } catch (InterruptedException e) {
                // Not how a log is stopped (close() is): ignore and carry on draining.
                Thread.interrupted();
                available = next - 1;
            }
            long end = Math.min(available, resolved + maxBatchSize);
            if (end >= next) {
                if (next == resolved + 1 && lingerNanos > 0) {
                    firstPendingAt = ticker.read();
                }
                committer.select(next, end);
                next = end + 1;
            }
            boolean caughtUp = end == available;
            long pending = next - 1 - resolved;
            if (pending > 0 && shouldCommit(pending, caughtUp, firstPendingAt, resolved, next - 1)) {
                if (!committer.commit(resolved + 1, next - 1)) {
                    return; // halted by close() after shutdownTimeout
                }
            }
            if (caughtUp) {
                if (committer.resolvedThrough() >= drainTarget) {
                    return;
                }
                reportDrops(ticker.read(), false);
            }
        }
    }

    /** The last sequence published in a row from {@code from}, at most {@code limit}; {@code from - 1} if none. */
    private long publishedFrom(long from, long limit) {
        // The barrier's cursor: the ring's, or the journal's when the sink is gated behind a journal.
        long last = Math.min(barrier.getCursor(), limit);
        long s = from;
        while (s <= last && ring.isAvailable(s)) {
            s++;
        }
        return s - 1;
    }

    private boolean shouldCommit(long pending, boolean caughtUp, long firstPendingAt, long resolved, long read) {
        if (pending >= maxBatchSize) {
            return true;
        }
        if (lingerNanos > 0 && ticker.read() - firstPendingAt >= lingerNanos) {
            return true;
        }
        if (!caughtUp) {
            return false;
        }
        if (lingerNanos == 0) {
            return true;
        }
        // flush() or close() asked for everything up to a target: once it is all read (or a batch is
        // full), one batch, rather than whatever had been read when the request came in.
        long wanted = Math.max(flushTarget.get(), drainTarget == NO_DRAIN ? -1 : drainTarget);
        return wanted > resolved && read >= Math.min(wanted, resolved + maxBatchSize);
    }

    /** Logs how many publishes were dropped since the last report, at most once per 10 s. */
    private void reportDrops(long now, boolean last) {
        if (!reportsDrops) {
            return;
        }
        long dropped = counters.dropped();
        if (dropped > droppedReported && (dropLog.allow(now) || last)) {
            long n = dropped - droppedReported;
            droppedReported = dropped;
            LOG.log(Level.WARNING, () -> "ringlog[" + logName + "]: dropped " + n + " events (" + dropped
                    + " in all): ring full with overflow=" + overflow + ", or log closed");
        }
    }

    /** Asks for everything up to {@code target} to be flushed now, regardless of linger. Any thread. */
    void requestFlush(long target) {
        flushTarget.accumulateAndGet(target, Math::max);
        wake();
    }

    /** Asks the sink thread to resolve everything up to {@code target}, then stop. Called by close(). */
    void drainTo(long target) {
        drainTarget = target;
        wake();
    }

    /** Interrupts the sink thread's wait: an alert for the barrier, an unpark for the idle strategy. */
    void wake() {
        barrier.alert();
        unpark();
    }

    /** Unparks an idle sink thread so that a new event is seen now rather than at its next wake-up. */
    void unpark() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    boolean awaitStopped(long nanos) throws InterruptedException {
        return stopped.await(nanos, TimeUnit.NANOSECONDS);
    }

    boolean isStopped() {
        return stopped.getCount() == 0;
    }

    Thread thread() {
        return thread;
    }

    /**
     * Stops the sink thread at its next check; pending events stay pending and their futures are
     * cancelled by the sink thread. Interrupts it too, to cut short a wait that can be interrupted
     * inside the sink (a pool's wait for a connection). Called by close() when shutdownTimeout expires.
     */
    void halt() {
        committer.halt();
        wake();
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
