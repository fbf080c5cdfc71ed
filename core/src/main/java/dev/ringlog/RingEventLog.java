package dev.ringlog;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import java.io.IOException;
import java.io.UncheckedIOException;
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
    /** The journal thread, or {@code null} without a journal. */
    private final JournalProcessor<E> journal;
    private final long maxWaitNanos;
    /** Publishes of sequences with these bits clear wake the sink thread: see {@link #release}. */
    private final long wakeMask;

    private RingEventLog(Settings<E> settings, RingBuffer<E> ring, Counters counters, Committer<E> committer,
                         JournalOpening<E> opened) {
        super(settings, ring, committer, counters, new SecureRandom().nextLong());
        this.maxWaitNanos = settings.overflow.maxWaitNanos();
        this.wakeMask = settings.ringSize / 8 - 1;
        if (opened == null) {
            this.processor = new SinkProcessor<>(settings, ring, committer, counters);
            this.journal = null;
        } else {
            // The gating: the sink's barrier depends on the journal thread's sequence, not the ring's cursor.
            Sequence journalled = new Sequence(-1);
            this.processor = new SinkProcessor<>(settings, ring, committer, counters, journalled);
            this.journal = new JournalProcessor<>(settings, ring, committer, opened.journal(), opened.codec(),
                    opened.replay(), opened.replayed(), journalled, processor);
        }
    }

    /** A journal opened and replayed into the ring by {@link #start}. */
    private record JournalOpening<E>(Journal journal, JournalCodec<? super E> codec, JournalReplay replay, long[] replayed) {
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
        // The sink's committed sequence alone gates the producers: the journal thread is always ahead of it.
        ring.addGatingSequences(committer.sequence());
        JournalOpening<E> opened = settings.journalDir == null ? null : openJournal(settings, ring, committer);
        RingEventLog<E> log = new RingEventLog<>(settings, ring, counters, committer, opened);
        if (log.journal != null) {
            thread(settings, log.journal, "journal").start();
        }
        thread(settings, log.processor, "sink").start();
        return log.started();
    }

    /**
     * Opens the journal and publishes what it holds uncommitted into the ring, before any producer can
     * publish: the replayed events come first, with their ids, tagged so the sink re-delivers them.
     */
    private static <E> JournalOpening<E> openJournal(Settings<E> settings, RingBuffer<E> ring, Committer<E> committer) {
        JournalCodec<? super E> codec = settings.journalCodecFor(ring.get(0));
        JournalReplay[] replay = new JournalReplay[1];
        Journal journal;
        try {
            journal = Journal.open(settings.name, settings.journalDir, settings.journalMaxBytes, settings.ringSize, replay);
        } catch (IOException e) {
            throw new UncheckedIOException("ringlog[" + settings.name + "]: cannot open the journal " + settings.journalDir, e);
        }
        try {
            return new JournalOpening<>(journal, codec, replay[0], replay[0].publishInto(settings.name, ring, committer, codec));
        } catch (RuntimeException e) {
            try {
                journal.close();
            } catch (IOException ignored) {
                // the start fails with e either way
            }
            throw e;
        }
    }

    private static Thread thread(Settings<?> settings, Runnable work, String role) {
        if (settings.threadFactory != null) {
            return settings.threadFactory.newThread(work);
        }
        Thread t = new Thread(work, "ringlog-" + settings.name + "-" + role);
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
            if (processor.isStopped()) {
                return abandon(sequence, durable);
            }
            committer.tag(sequence, durable);
        }
        return sequence;
    }

    /**
     * The overflow policy's wait for a free slot: -1 when it gives up. Never waits on the sink thread,
     * nor for a sink thread that has stopped (died, or halted by close): no slot would ever come free.
     */
    private long claimWhenFull() {
        if (maxWaitNanos == 0 || Thread.currentThread() == processor.thread()) {
            return -1;
        }
        // Not ring.next(): it parks 1 ns at a time, cannot time out and ignores close (Disruptor #261).
        long deadline = System.nanoTime() + Math.min(maxWaitNanos, Long.MAX_VALUE / 2);
        long park = 1_000;
        for (int round = 0; !closed.isSet() && !processor.isStopped(); round++) {
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
        return drop(durable, closed.isSet() ? DropReason.CLOSED : processor.isStopped() ? DropReason.SINK_STOPPED
                : journal != null && journal.isFull() ? DropReason.JOURNAL_FULL : DropReason.RING_FULL);
    }

    private long abandon(long sequence, Object durable) {
        committer.tag(sequence, Committer.ABANDONED);
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
            wakeFirstConsumer();
        }
        return true;
    }

    /** Unparks the thread that reads the ring first: the journal's, if there is one (it wakes the sink's). */
    private void wakeFirstConsumer() {
        if (journal != null) {
            journal.unpark();
        } else {
            processor.unpark();
        }
    }

    @Override
    void requestFlush(long target) {
        processor.requestFlush(target);
        wakeFirstConsumer();
    }

    @Override
    void wakeSinkThread() {
        wakeFirstConsumer();
    }

    @Override
    public JournalStats journalStats() {
        return journal == null ? super.journalStats() : journal.stats();
    }

    @Override
    boolean isTerminated() {
        return processor.isStopped();
    }

    /**
     * Drains within {@code shutdownTimeout}: nine tenths of it (at most all but a second) for the sink
     * thread to write the backlog; then it is halted and interrupted, and the rest of the time is for
     * it to leave the call it is in. The sink thread alone resolves slots, so whatever it cancels, it
     * cancels after its last commit, and when it stops within the bound nothing is written after
     * close() returns.
     */
    @Override
    void closeWithin(long timeout) {
        long start = System.nanoTime();
        long last = closed.setThenReadCursor(ring);
        processor.drainTo(last);
        wakeFirstConsumer();
        if (Thread.currentThread() == processor.thread()) {
            return; // a sink closing its own log: its thread finishes the drain when this returns
        }
        // With a journal, a tenth of the time (at most a second) is kept for its last checkpoint and close.
        long journalReserve = journal == null ? 0 : Math.min(timeout / 10, 1_000_000_000L);
        closeSinkThread(last, timeout - journalReserve);
        if (journal != null) {
            // The journal thread stops once the sink thread has: its last checkpoint, sync and close.
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

    private void closeSinkThread(long last, long timeout) {
        long haltGrace = Math.min(timeout / 10, 1_000_000_000L);
        if (!awaitStopped(timeout - haltGrace)) {
            processor.halt();
            boolean stopped = awaitStopped(haltGrace);
            long resolved = committer.resolvedThrough();
            LOG.log(Level.ERROR, () -> "ringlog[" + name + "]: shutdownTimeout=" + Settings.format(settings.shutdownTimeout)
                    + " expired with " + (last - resolved) + " events not written (the sink is down or stuck);"
                    + " they stay counted as pending and their publishDurable futures are cancelled"
                    + (stopped ? "" : "; the sink thread is still inside a sink call that has no time limit,"
                            + " and resolves the events of that call when it returns")
                    + ": " + stats());
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
}
