package dev.ringlog;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The asynchronous log: producers publish into a multi-producer ring drained by one sink thread per
 * sink, each at its own pace; the ring is gated by the slowest (see {@link SlotRelease}).
 */
final class RingEventLog<E> extends EventLog<E> {

    private static final System.Logger LOG = System.getLogger(EventLog.class.getName());

    /** One per sink, in the order of the log's sinks. */
    private final SinkProcessor<E>[] processors;
    private final long maxWaitNanos;
    /** Publishes of sequences with these bits clear wake the sink threads: see {@link #release}. */
    private final long wakeMask;

    @SuppressWarnings("unchecked")
    private RingEventLog(Settings<E> settings, RingBuffer<E> ring, Counters counters, SlotRelease<E> slots, long idBase) {
        super(settings, ring, slots, counters, idBase);
        this.maxWaitNanos = settings.overflow.maxWaitNanos();
        this.wakeMask = settings.ringSize / 8 - 1;
        this.processors = new SinkProcessor[sinks.length];
        for (int i = 0; i < sinks.length; i++) {
            processors[i] = new SinkProcessor<>(settings, settings.sinks.get(i), ring, sinks[i], counters, i == 0);
        }
    }

    static <E> EventLog<E> start(Settings<E> settings, Supplier<? extends E> factory) {
        // Without events a sink thread wakes every tick to flush a lingering batch (then the tick is
        // half the shortest linger) or report drops (every second is plenty: flush and close wake it at once).
        long lingerNanos = Settings.saturatedNanos(settings.shortestLinger());
        long tick = lingerNanos == 0 ? settings.idleTickNanos : Math.max(1_000_000, Math.min(lingerNanos / 2, 100_000_000));
        RingBuffer<E> ring = RingBuffer.createMultiProducer(factory::get, settings.ringSize,
                IdleWaitStrategy.of(settings.waitStrategy, settings, tick));
        Counters counters = new Counters();
        SlotRelease<E> slots = new SlotRelease<>(settings, ring, counters);
        long idBase = new SecureRandom().nextLong();
        slots.sinks(committers(settings, slots, ring.get(0), idBase, Long.MAX_VALUE));
        ring.addGatingSequences(slots.sequence());
        RingEventLog<E> log = new RingEventLog<>(settings, ring, counters, slots, idBase);
        boolean several = settings.sinks.size() > 1;
        for (int i = 0; i < log.processors.length; i++) {
            String thread = "ringlog-" + settings.name + "-sink" + (several ? "-" + settings.sinks.get(i).name : "");
            ThreadFactory threads = settings.threadFactory != null ? settings.threadFactory : runnable -> {
                Thread t = new Thread(runnable, thread);
                t.setDaemon(true); // the shutdown hook, not this thread, keeps events from being lost at exit
                return t;
            };
            threads.newThread(log.processors[i]).start();
        }
        return log.started();
    }

    @Override
    long claim(Object durable) {
        if (closed.isSet()) {
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
        // Read closed again after the claim (a CAS on the ring's cursor): either close() saw this claim
        // and drains it, or this read sees closed and the claim is abandoned. See ClosedFlag.
        if (closed.isSet()) {
            return abandon(sequence, durable);
        }
        if (durable != null) {
            // Off the plain publish path: a durable event is refused by a log whose sink thread has
            // stopped, as its future would never complete.
            if (anySinkStopped()) {
                return abandon(sequence, durable);
            }
            slots.tag(sequence, durable);
        }
        return sequence;
    }

    /**
     * The overflow policy's wait for a free slot: -1 when it gives up. Never waits on the sink thread,
     * nor for a sink thread that has stopped (died, or halted by close): no slot would ever come free.
     */
    private long claimWhenFull() {
        if (maxWaitNanos == 0 || isSinkThread()) {
            return -1;
        }
        // Not ring.next(): it parks 1 ns at a time, cannot time out and ignores close (Disruptor #261).
        long deadline = System.nanoTime() + Math.min(maxWaitNanos, Long.MAX_VALUE / 2);
        long park = 1_000;
        for (int round = 0; !closed.isSet() && !anySinkStopped(); round++) {
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
        return drop(durable, closed.isSet() ? DropReason.CLOSED : anySinkStopped() ? DropReason.SINK_STOPPED : DropReason.RING_FULL);
    }

    private long abandon(long sequence, Object durable) {
        slots.tag(sequence, SlotRelease.ABANDONED);
        ring.publish(sequence);
        DropReason reason = closed.isSet() ? DropReason.CLOSED : DropReason.SINK_STOPPED;
        counters.addAbandoned(reason);
        rejectDurable(durable, reason);
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
            wakeSinkThread();
        }
        return true;
    }

    /**
     * Whether a sink thread has stopped (died, or halted by close): the ring will not drain past its
     * sequence, so a producer waiting for room or a durable future would wait for nothing.
     */
    private boolean anySinkStopped() {
        for (SinkProcessor<E> p : processors) {
            if (p.isStopped()) {
                return true;
            }
        }
        return false;
    }

    private boolean isSinkThread() {
        Thread current = Thread.currentThread();
        for (SinkProcessor<E> p : processors) {
            if (p.thread() == current) {
                return true;
            }
        }
        return false;
    }

    @Override
    void requestFlush(long target) {
        for (SinkProcessor<E> p : processors) {
            p.requestFlush(target);
        }
    }

    @Override
    void wakeSinkThread() {
        for (SinkProcessor<E> p : processors) {
            p.unpark();
        }
    }

    @Override
    boolean isTerminated() {
        return anySinkStopped();
    }

    @Override
    boolean isStopped(int sink) {
        return processors[sink].isStopped();
    }

    /**
     * Drains every sink within one {@code shutdownTimeout}: nine tenths of it (at most all but a second)
     * for the sink threads to write the backlog, all at once; then those still running are halted and
     * interrupted, and the rest of the time is for them to leave the call they are in. Each sink thread
     * alone resolves its sink's slots, so whatever it cancels, it cancels after its last commit, and when
     * it stops within the bound nothing is written after close() returns.
     */
    @Override
    void closeWithin(long timeout) {
        long last = closed.setThenReadCursor(ring);
        for (SinkProcessor<E> p : processors) {
            p.drainTo(last);
        }
        if (isSinkThread()) {
            return; // a sink closing its own log: the sink threads finish the drain when this returns
        }
        long haltGrace = Math.min(timeout / 10, 1_000_000_000L);
        long drainDeadline = System.nanoTime() + (timeout - haltGrace);
        boolean allStopped = true;
        for (SinkProcessor<E> p : processors) {
            allStopped &= awaitStopped(p, drainDeadline - System.nanoTime());
        }
        if (allStopped) {
            return;
        }
        StringBuilder stuck = new StringBuilder();
        for (int i = 0; i < processors.length; i++) {
            if (!processors[i].isStopped()) {
                processors[i].halt();
                stuck.append(stuck.length() == 0 ? "" : ", ").append(settings.sinks.get(i).name)
                        .append(" (").append(last - sinks[i].resolvedThrough()).append(" events not written)");
            }
        }
        long graceDeadline = System.nanoTime() + haltGrace;
        boolean stopped = true;
        for (SinkProcessor<E> p : processors) {
            stopped &= awaitStopped(p, graceDeadline - System.nanoTime());
        }
        boolean allLeft = stopped;
        String which = processors.length > 1 ? " in the sinks " + stuck : " with " + (last - sinks[0].resolvedThrough()) + " events not written";
        LOG.log(Level.ERROR, () -> "ringlog[" + name + "]: shutdownTimeout=" + Settings.format(settings.shutdownTimeout)
                + " expired" + which + " (the sink is down or stuck);"
                + " they stay counted as pending and their publishDurable futures are cancelled"
                + (allLeft ? "" : "; a sink thread is still inside a sink call that has no time limit,"
                        + " and resolves the events of that call when it returns")
                + ": " + stats());
    }

    private static boolean awaitStopped(SinkProcessor<?> processor, long nanos) {
        try {
            return processor.awaitStopped(Math.max(0, nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return processor.isStopped();
        }
    }
}
