package dev.ringlog;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The asynchronous log: producers publish into a multi-producer ring drained by one sink thread per
 * sink, each at its own pace; the ring is gated by the slowest (see {@link SlotRelease}). With a journal,
 * a journal thread reads the ring first and every sink thread follows it (see {@link JournalProcessor}).
 */
final class RingEventLog<E> extends EventLog<E> {

    private static final System.Logger LOG = System.getLogger(EventLog.class.getName());

    /** One per sink, in the order of the log's sinks. */
    private final SinkProcessor<E>[] processors;
    /** The journal thread, or {@code null} without a journal. */
    private final JournalProcessor<E> journal;
    private final long maxWaitNanos;
    /** Publishes of sequences with these bits clear wake the sink threads: see {@link #release}. */
    private final long wakeMask;

    @SuppressWarnings("unchecked")
    private RingEventLog(Settings<E> settings, RingBuffer<E> ring, Counters counters, SlotRelease<E> slots, long idBase,
                         JournalOpening<E> opened) {
        super(settings, ring, slots, counters, idBase);
        this.maxWaitNanos = settings.overflow.maxWaitNanos();
        this.wakeMask = settings.ringSize / 8 - 1;
        this.processors = new SinkProcessor[sinks.length];
        // With a journal, every sink's barrier depends on the journal thread's sequence, not the ring's cursor.
        Sequence journalled = new Sequence(-1);
        Sequence[] upstream = opened == null ? new Sequence[0] : new Sequence[] {journalled};
        for (int i = 0; i < sinks.length; i++) {
            processors[i] = new SinkProcessor<>(settings, settings.sinks.get(i), ring, sinks[i], counters, i == 0, upstream);
        }
        this.journal = opened == null ? null : new JournalProcessor<>(settings, ring, slots, opened.journal(),
                opened.codec(), opened.replay(), opened.replayed(), journalled, processors);
    }

    /** A journal opened and replayed into the ring by {@link #start}. */
    private record JournalOpening<E>(Journal journal, JournalCodec<? super E> codec, JournalReplay replay, long[] replayed) {
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
        // What every sink has resolved gates the producers, with or without a journal: the journal
        // thread is always ahead of it.
        ring.addGatingSequences(slots.sequence());
        JournalOpening<E> opened = settings.journalDir == null ? null : openJournal(settings, ring);
        RingEventLog<E> log = new RingEventLog<>(settings, ring, counters, slots, idBase, opened);
        if (log.journal != null) {
            thread(settings, log.journal, "ringlog-" + settings.name + "-journal").start();
        }
        boolean several = settings.sinks.size() > 1;
        for (int i = 0; i < log.processors.length; i++) {
            thread(settings, log.processors[i], "ringlog-" + settings.name + "-sink"
                    + (several ? "-" + settings.sinks.get(i).name : "")).start();
        }
        return log.started();
    }

    /**
     * Opens the journal and publishes what it holds uncommitted into the ring, before any producer can
     * publish: the replayed events come first, with their ids, for every sink.
     */
    private static <E> JournalOpening<E> openJournal(Settings<E> settings, RingBuffer<E> ring) {
        JournalCodec<? super E> codec = settings.journalCodecFor(ring.get(0));
        JournalReplay[] replay = new JournalReplay[1];
        Journal journal;
        try {
            journal = Journal.open(settings.name, settings.journalDir, settings.journalMaxBytes, settings.ringSize, replay);
        } catch (IOException e) {
            throw new UncheckedIOException("ringlog[" + settings.name + "]: cannot open the journal " + settings.journalDir, e);
        }
        try {
            return new JournalOpening<>(journal, codec, replay[0], replay[0].publishInto(settings.name, ring, codec));
        } catch (RuntimeException e) {
            try {
                journal.close();
            } catch (IOException ignored) {
                // the start fails with e either way
            }
            throw e;
        }
    }

    private static Thread thread(Settings<?> settings, Runnable work, String name) {
        if (settings.threadFactory != null) {
            return settings.threadFactory.newThread(work);
        }
        Thread t = new Thread(work, name);
        t.setDaemon(true); // the shutdown hook, not this thread, keeps events from being lost at exit
        return t;
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
            if (anyConsumerStopped()) {
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
        for (int round = 0; !closed.isSet() && !anyConsumerStopped(); round++) {
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
        return drop(durable, closed.isSet() ? DropReason.CLOSED : anyConsumerStopped() ? DropReason.SINK_STOPPED
                : journal != null && journal.isFull() ? DropReason.JOURNAL_FULL : DropReason.RING_FULL);
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
     * Whether a thread that reads the ring has stopped (died, or halted by close): a sink thread, or the
     * journal thread, which every sink waits behind. The ring will not drain past its sequence, so a
     * producer waiting for room or a durable future would wait for nothing.
     */
    private boolean anyConsumerStopped() {
        if (journal != null && journal.isStopped()) {
            return true;
        }
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
        wakeFirstConsumer();
    }

    @Override
    void wakeSinkThread() {
        wakeFirstConsumer();
    }

    /**
     * Unparks the threads that read the ring first: the journal's, if there is one (it wakes the sink
     * threads once it has journalled), else every sink thread.
     */
    private void wakeFirstConsumer() {
        if (journal != null) {
            journal.unpark();
        } else {
            for (SinkProcessor<E> p : processors) {
                p.unpark();
            }
        }
    }

    @Override
    public JournalStats journalStats() {
        return journal == null ? super.journalStats() : journal.stats();
    }

    @Override
    boolean isTerminated() {
        return anyConsumerStopped();
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
     * it stops within the bound nothing is written after close() returns. With a journal, a tenth of the
     * time (at most a second) is kept for the journal thread, which stops after every sink thread has:
     * its last sync, checkpoint (what every sink committed) and close.
     */
    @Override
    void closeWithin(long timeout) {
        long last = closed.setThenReadCursor(ring);
        for (SinkProcessor<E> p : processors) {
            p.drainTo(last);
        }
        wakeFirstConsumer();
        if (isSinkThread()) {
            return; // a sink closing its own log: the sink threads finish the drain when this returns
        }
        long start = System.nanoTime();
        // With a journal, a tenth of the time (at most a second) is kept for its last checkpoint and close.
        long journalReserve = journal == null ? 0 : Math.min(timeout / 10, 1_000_000_000L);
        closeSinkThreads(last, timeout - journalReserve);
        if (journal != null) {
            // The journal thread stops once every sink thread has: its last sync, checkpoint and close.
            journal.unpark();
            awaitJournal(timeout - (System.nanoTime() - start));
        }
    }

    private void awaitJournal(long nanos) {
        try {
            if (!journal.awaitStopped(Math.max(nanos, 0))) {
                LOG.log(Level.ERROR, () -> "ringlog[" + name + "]: the journal thread did not stop within shutdownTimeout="
                        + Settings.format(settings.shutdownTimeout) + " (a write or sync that does not return);"
                        + " the next start replays what its last checkpoint does not cover");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeSinkThreads(long last, long timeout) {
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
