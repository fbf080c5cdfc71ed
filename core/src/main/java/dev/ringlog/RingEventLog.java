package dev.ringlog;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** The asynchronous log: producers publish into a multi-producer ring drained by one sink thread. */
final class RingEventLog<E> extends EventLog<E> {

    private static final System.Logger LOG = System.getLogger(EventLog.class.getName());

    private final SinkProcessor<E> processor;
    private final long maxWaitNanos;
    /** Publishes of sequences with these bits clear wake the sink thread: see {@link #release}. */
    private final long wakeMask;
    private final ShutdownHook hook;
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private final CountDownLatch closeDone = new CountDownLatch(1);

    /**
     * Set once by close(). Read twice per publish, before and after the claim (a plain load on x86):
     * see {@link #claim}.
     */
    private volatile boolean closed;

    private RingEventLog(Settings<E> settings, RingBuffer<E> ring, Counters counters, Committer<E> committer) {
        super(settings, ring, committer, counters, new SecureRandom().nextLong());
        this.maxWaitNanos = settings.overflow.maxWaitNanos();
        this.wakeMask = settings.ringSize / 8 - 1;
        this.processor = new SinkProcessor<>(settings, ring, committer, counters);
        this.hook = settings.shutdownHook ? new ShutdownHook(this) : null;
    }

    static <E> EventLog<E> start(Settings<E> settings, Supplier<? extends E> factory, Sink<? super E> sink) {
        // Without events the sink thread wakes every tick to flush a lingering batch (then the tick is
        // half the linger) or report drops (every second is plenty: flush and close wake it at once).
        long lingerNanos = Settings.saturatedNanos(settings.linger);
        long tick = lingerNanos == 0 ? settings.idleTickNanos : Math.max(1_000_000, Math.min(lingerNanos / 2, 100_000_000));
        RingBuffer<E> ring = RingBuffer.createMultiProducer(factory::get, settings.ringSize,
                IdleWaitStrategy.of(settings.waitStrategy, settings, tick));
        Counters counters = new Counters();
        Committer<E> committer = new Committer<>(settings, ring, sink, counters, Long.MAX_VALUE);
        ring.addGatingSequences(committer.sequence());
        RingEventLog<E> log = new RingEventLog<>(settings, ring, counters, committer);
        ThreadFactory threads = settings.threadFactory != null ? settings.threadFactory : runnable -> {
            Thread t = new Thread(runnable, "ringlog-" + settings.name + "-sink");
            t.setDaemon(true); // the shutdown hook, not this thread, keeps events from being lost at exit
            return t;
        };
        threads.newThread(log.processor).start();
        if (log.hook != null) {
            log.hook.register();
        }
        return log;
    }

    @Override
    long claim(Object durable) {
        if (closed) {
            return drop(durable);
        }
        long sequence;
        try {
            sequence = ring.tryNext();
        } catch (InsufficientCapacityException full) {
            // The Disruptor signals a full ring with a pre-allocated exception: no stack trace, no
            // allocation. Only on overflow, never on the fast path.
            sequence = claimWhenFull();
            if (sequence < 0) {
                return drop(durable);
            }
        }
        // Read closed again after the claim. The claim is a CAS on the ring's cursor; close() writes
        // closed and then reads the cursor. Both are volatile accesses, so either close() saw this
        // claim (and drains it) or this read sees closed (and the claim is abandoned): no accepted
        // event can slip past the drain.
        if (closed) {
            return abandon(sequence, durable);
        }
        if (durable != null) {
            committer.tag(sequence, durable);
        }
        return sequence;
    }

    /** The overflow policy's wait for a free slot: -1 when it gives up. Never waits on the sink thread. */
    private long claimWhenFull() {
        if (maxWaitNanos == 0 || Thread.currentThread() == processor.thread()) {
            return -1;
        }
        // Not ring.next(): it parks 1 ns at a time, cannot time out and ignores close (Disruptor #261).
        long deadline = System.nanoTime() + Math.min(maxWaitNanos, Long.MAX_VALUE / 2);
        long park = 1_000;
        for (int round = 0; !closed; round++) {
            try {
                return ring.tryNext();
            } catch (InsufficientCapacityException stillFull) {
                if (maxWaitNanos != Long.MAX_VALUE && System.nanoTime() - deadline >= 0) {
                    return -1;
                }
                if (round < 100) {
                    Thread.yield();
                } else {
                    LockSupport.parkNanos(this, park);
                    park = Math.min(park << 1, 1_000_000);
                }
            }
        }
        return -1;
    }

    private long drop(Object durable) {
        counters.addDropped();
        rejectDurable(durable, closed ? "log closed" : "ring full");
        return -1;
    }

    private long abandon(long sequence, Object durable) {
        committer.tag(sequence, Committer.ABANDONED);
        ring.publish(sequence);
        counters.addAbandoned();
        rejectDurable(durable, "log closed");
        return -1;
    }

    @Override
    boolean release(long sequence) {
        ring.publish(sequence);
        // Producers do not signal the sink thread, which may be parked for up to 100 ms when idle;
        // a burst could fill the ring meanwhile. So the publish of every eighth of a ring unparks
        // it: one unpark per ringSize/8 events (a mask test otherwise), and the ring is at most an
        // eighth full (plus one wake-up's worth of events) before the sink thread is draining it.
        if ((sequence & wakeMask) == 0) {
            processor.unpark();
        }
        return true;
    }

    @Override
    void requestFlush(long target) {
        processor.requestFlush(target);
    }

    @Override
    void wakeSinkThread() {
        processor.unpark();
    }

    @Override
    boolean isTerminated() {
        return processor.isStopped();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        long timeout = Settings.saturatedNanos(settings.shutdownTimeout);
        if (!closeStarted.compareAndSet(false, true)) {
            awaitQuietly(closeDone, timeout);
            return;
        }
        try {
            closed = true;
            long last = ring.getCursor(); // after the write of closed: see claim()
            if (hook != null) {
                hook.unregister();
            }
            processor.drainTo(last);
            if (Thread.currentThread() == processor.thread()) {
                return; // a sink closing its own log: its thread finishes the drain when this returns
            }
            if (!awaitStopped(timeout)) {
                processor.halt();
                long resolved = committer.resolvedThrough();
                committer.cancel(resolved + 1, last);
                LOG.log(Level.ERROR, () -> "ringlog[" + name + "]: shutdownTimeout=" + Settings.format(settings.shutdownTimeout)
                        + " expired with " + (last - resolved) + " events not written (the sink is down or stuck);"
                        + " they stay counted as pending: " + stats());
            }
        } finally {
            closeDone.countDown();
        }
    }

    private boolean awaitStopped(long nanos) {
        try {
            return processor.awaitStopped(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return processor.isStopped();
        }
    }

    private static void awaitQuietly(CountDownLatch latch, long nanos) {
        try {
            latch.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
