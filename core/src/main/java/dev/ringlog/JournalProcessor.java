package dev.ringlog;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32C;

/**
 * The journal thread: the first consumer of the ring (the LMAX journaller). It appends every published
 * event to the journal, syncs by the {@link SyncPolicy}, and only then advances {@link #sequence()},
 * on which every sink processor's barrier depends: no sink sees an event the journal does not have.
 * The producers' path is unchanged; they are gated, as before, by {@link SlotRelease}'s sequence (what
 * every sink has resolved), which can never pass this one.
 *
 * <p>It also follows the sinks: once every sink has resolved events (the release's sequence, the
 * slowest sink's) it writes the checkpoint (rate-limited: a lagging checkpoint only replays events the
 * sinks see again) and deletes the segments wholly behind it. When the journal holds {@code maxBytes},
 * it waits for the slowest sink to free a segment; the
 * ring then fills behind it and the overflow policy decides, counting {@link DropReason#JOURNAL_FULL}.
 * A write that fails (a full disk) is retried with backoff, cut back so no partial record stays
 * between whole ones; meanwhile the ring fills the same way.
 */
final class JournalProcessor<E> implements Runnable {

    private static final System.Logger LOG = System.getLogger(EventLog.class.getName());
    private static final int MAX_CHUNK = 4_096;
    private static final long CHECKPOINT_EVERY_NANOS = 10_000_000;
    private static final long MAX_PARK_NANOS = 100_000_000;

    private final String name;
    private final Ticker ticker;
    private final RingBuffer<E> ring;
    private final SlotRelease<E> slots;
    private final Journal journal;
    private final JournalCodec<? super E> codec;
    private final long syncNanos;
    private final boolean acknowledges;
    /** The journal positions of the replayed events, which hold ring sequences 0 to {@code replayed.length - 1}. */
    private final long[] replayed;
    /** The journal position of the first new event (ring sequence {@code replayed.length}). */
    private final long base;
    private final Sequence journalled;
    private final SinkProcessor<E>[] sinks;

    private final RecordBuffer buffer = new RecordBuffer();
    private final DataOutputStream out = new DataOutputStream(buffer);
    private final CRC32C crc = new CRC32C();
    private final List<CompletableFuture<?>> acks = new ArrayList<>();
    private final List<CompletableFuture<?>> unsyncedAcks = new ArrayList<>();
    private final RateLimit failureLog = new RateLimit();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Thread thread;
    private volatile boolean full;
    /** Records in the buffer, not yet written. */
    private int buffered;
    private boolean unsynced;
    private long unsyncedSince;
    private long checkpointedSequence = -1;
    private long checkpointedAt;

    // Written by the journal thread only, read by stats(): see Counters for why lazySet is enough.
    private final Counter records = new Counter();
    private final Counter syncs = new Counter();
    private final Counter fullWaits = new Counter();
    private final Counter writeFailures = new Counter();
    private final Counter codecFailures = new Counter();
    private final JournalReplay replay;

    JournalProcessor(Settings<E> settings, RingBuffer<E> ring, SlotRelease<E> slots, Journal journal,
                     JournalCodec<? super E> codec, JournalReplay replay, long[] replayed, Sequence journalled,
                     SinkProcessor<E>[] sinks) {
        this.name = settings.name;
        this.ticker = settings.ticker;
        this.ring = ring;
        this.slots = slots;
        this.journal = journal;
        this.codec = codec;
        this.syncNanos = settings.journalSync.periodNanos();
        this.acknowledges = settings.durableAck == EventLog.DurableAck.JOURNAL;
        this.replay = replay;
        this.replayed = replayed;
        this.base = replay.nextPosition;
        this.journalled = journalled;
        this.sinks = sinks;
        // The replayed events are in the journal already.
        journalled.set(replayed.length - 1);
    }

    /** Every ring sequence up to this one is in the journal (and synced, under {@link SyncPolicy#PER_BATCH}). */
    Sequence sequence() {
        return journalled;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            work();
        } catch (Throwable t) {
            try {
                LOG.log(Level.ERROR, () -> "ringlog[" + name + "]: journal thread died; the sinks get no more events", t);
            } catch (Throwable ignored) {
                // the logging backend is what failed
            }
        } finally {
            try {
                finish();
            } finally {
                stopped.countDown();
            }
        }
    }

    private void work() {
        long next = journalled.get() + 1;
        int idleRounds = 0;
        long park = IdleWaitStrategy.MIN_PARK_NANOS;
        while (!stopping()) {
            checkpoint(false);
            syncIfDue();
            long available = publishedFrom(next, next + MAX_CHUNK - 1);
            if (available < next) {
                // Idle: spin, yield, then park up to 100 ms, or until a sync is due. Producers unpark
                // this thread on every eighth of the ring, flush, close and publishDurable.
                if (idleRounds < 100) {
                    Thread.onSpinWait();
                } else if (idleRounds < 200) {
                    Thread.yield();
                } else {
                    long limit = unsynced && syncNanos > 0 ? Math.max(0, unsyncedSince + syncNanos - ticker.read()) : MAX_PARK_NANOS;
                    Thread.interrupted();
                    LockSupport.parkNanos(this, Math.max(1_000, Math.min(park, limit)));
                    park = Math.min(park << 1, MAX_PARK_NANOS);
                }
                idleRounds++;
                continue;
            }
            idleRounds = 0;
            park = IdleWaitStrategy.MIN_PARK_NANOS;
            next = journalRange(next, available) + 1;
        }
    }

    /** Journals {@code [lo, hi]}; returns the last sequence journalled ({@code hi}, or less if stopping). */
    private long journalRange(long lo, long hi) {
        buffer.reset();
        buffered = 0;
        long from = lo;
        for (long s = lo; s <= hi; s++) {
            Object tag = slots.tagOf(s);
            if (tag == SlotRelease.ABANDONED || tag instanceof Throwable) {
                continue; // not an event: the sinks skip it too
            }
            int at = buffer.size();
            if (!encode(s, at)) {
                continue;
            }
            if (!journal.hasRoomFor(buffer.size()) && !(at == 0 && journal.isEmpty())) {
                int length = buffer.size() - at;
                if (at > 0 && !write(from, s - 1, at)) {
                    return from - 1;
                }
                buffer.keepFrom(at);
                buffered = 1;
                from = s;
                if (!waitForRoom(length)) {
                    return from - 1;
                }
            }
            if (acknowledges && tag instanceof CompletableFuture<?> durable) {
                acks.add(durable);
            }
        }
        return write(from, hi, buffer.size()) ? hi : from - 1;
    }

    /** Appends the event at {@code sequence} to the buffer, framed; {@code false} (counted, logged) if the codec failed. */
    @SuppressWarnings("unchecked")
    private boolean encode(long sequence, int at) {
        try {
            buffer.skip(JournalSegment.HEADER);
            ((JournalCodec<Object>) codec).write(ring.get(sequence), out);
            out.flush();
            int length = buffer.size() - at - JournalSegment.HEADER;
            JournalSegment.frame(buffer.wrap(), at, length, position(sequence), crc);
            buffered++;
            return true;
        } catch (Throwable t) {
            buffer.truncate(at);
            codecFailures.add(1);
            warn(() -> "the journal codec failed; the event goes to the sinks without being journalled", t);
            return false;
        }
    }

    /**
     * Writes the first {@code length} buffered bytes (the records of {@code [lo, hi]}), syncs if the
     * policy says so, then lets the sinks have them. Retries a failed write or sync with backoff until it
     * succeeds or the journal is stopping ({@code false}).
     */
    private boolean write(long lo, long hi, int length) {
        long delay = 10_000_000;
        while (true) {
            try {
                if (length > 0) {
                    ByteBuffer bytes = buffer.wrap();
                    bytes.limit(length);
                    journal.append(bytes, position(lo), position(hi));
                    records.add(buffered);
                    buffered = 0;
                }
                break;
            } catch (IOException e) {
                if (!failed("journal write", e, delay)) {
                    return false;
                }
                delay = Math.min(delay * 2, 1_000_000_000);
            }
        }
        full = false;
        if (length > 0 && syncNanos == 0) {
            if (!sync()) {
                return false;
            }
        } else if (length > 0 && !unsynced) {
            unsynced = true;
            unsyncedSince = ticker.read();
        }
        journalled.set(hi);
        for (SinkProcessor<E> sink : sinks) {
            sink.unpark();
        }
        if (syncNanos > 0) {
            unsyncedAcks.addAll(acks);
            acks.clear();
        } else {
            complete(acks);
        }
        return true;
    }

    private boolean sync() {
        long delay = 10_000_000;
        while (true) {
            try {
                journal.force();
                syncs.add(1);
                unsynced = false;
                full = false;
                return true;
            } catch (IOException e) {
                if (!failed("journal sync", e, delay)) {
                    return false;
                }
                delay = Math.min(delay * 2, 1_000_000_000);
            }
        }
    }

    private void syncIfDue() {
        if (syncNanos > 0 && unsynced && ticker.read() - unsyncedSince >= syncNanos && sync()) {
            complete(unsyncedAcks);
        }
    }

    /** Counts and logs a failed write or sync, then waits {@code delayNanos}; {@code false} if stopping. */
    private boolean failed(String what, IOException e, long delayNanos) {
        // The journal takes nothing while it cannot write: a full ring drops as JOURNAL_FULL. Set before
        // the count, so that whoever sees the failure counted sees the flag.
        full = true;
        writeFailures.add(1);
        if (failureLog.allow(ticker.read())) {
            long more = failureLog.suppressed();
            warn(() -> what + " failed (" + more + " failures not logged); retrying in " + delayNanos / 1_000_000
                    + " ms while the ring fills: " + e, null);
        }
        long deadline = ticker.read() + delayNanos;
        for (long left = delayNanos; left > 0 && !stopping(); left = deadline - ticker.read()) {
            Thread.interrupted();
            LockSupport.parkNanos(this, left);
        }
        checkpoint(true);
        return !stopping();
    }

    /** Waits for the sinks to commit enough that {@code bytes} more fit; {@code false} if stopping meanwhile. */
    private boolean waitForRoom(long bytes) {
        full = true;
        fullWaits.add(1);
        warn(() -> "journal full (" + journal.liveBytes() + " bytes not yet committed by every sink); waiting for the sinks,"
                + " the ring fills meanwhile and the overflow policy decides", null);
        long park = 100_000;
        try {
            while (!stopping()) {
                checkpoint(true);
                if (journal.hasRoomFor(bytes) || journal.isEmpty()) {
                    return true;
                }
                Thread.interrupted();
                LockSupport.parkNanos(this, park);
                park = Math.min(park << 1, 10_000_000);
            }
            return false;
        } finally {
            full = false;
        }
    }

    /**
     * Writes the checkpoint for what every sink has resolved and deletes the segments it covers: at most
     * every 10 ms unless {@code now} (the journal is full, or a write failed: space may come back).
     */
    private void checkpoint(boolean now) {
        long committed = slots.releasedThrough();
        if (committed < 0 || (committed == checkpointedSequence && !now)) {
            return;
        }
        long t = ticker.read();
        if (!now && t - checkpointedAt < CHECKPOINT_EVERY_NANOS) {
            return;
        }
        checkpointedAt = t;
        try {
            journal.committed(position(committed), now);
            checkpointedSequence = committed;
        } catch (IOException e) {
            writeFailures.add(1);
            if (failureLog.allow(t)) {
                warn(() -> "writing the journal checkpoint failed; segments stay until it succeeds", e);
            }
        }
    }

    /** The journal position of ring sequence {@code sequence}. */
    private long position(long sequence) {
        return sequence < replayed.length ? replayed[(int) sequence] : base + (sequence - replayed.length);
    }

    /** The last sequence published in a row from {@code from}, at most {@code limit}; {@code from - 1} if none. */
    private long publishedFrom(long from, long limit) {
        long last = Math.min(ring.getCursor(), limit);
        long s = from;
        while (s <= last && ring.isAvailable(s)) {
            s++;
        }
        return s - 1;
    }

    /** Completes journal-acknowledged durable futures on the callback executor, never on this thread. */
    private void complete(List<CompletableFuture<?>> futures) {
        if (futures.isEmpty()) {
            return;
        }
        CompletableFuture<?>[] batch = futures.toArray(new CompletableFuture<?>[0]);
        futures.clear();
        slots.dispatch(new Runnable[] {() -> {
            for (CompletableFuture<?> f : batch) {
                f.complete(null);
            }
        }});
    }

    /** The last sync, checkpoint and close; on the journal thread, after every sink thread has stopped. */
    private void finish() {
        try {
            if (unsynced && syncNanos >= 0) {
                journal.force();
                complete(unsyncedAcks);
            }
        } catch (Throwable t) {
            warn(() -> "the last journal sync failed", t);
        }
        try {
            long committed = slots.releasedThrough();
            if (committed >= 0) {
                journal.committed(position(committed), true);
            }
        } catch (Throwable t) {
            warn(() -> "the last journal checkpoint failed; the next start replays more, which the sinks see again", t);
        }
        try {
            journal.close();
        } catch (Throwable t) {
            warn(() -> "closing the journal failed", t);
        }
    }

    /** Whether the journal is waiting for room or for a failing disk now: why a full ring drops. Any thread. */
    boolean isFull() {
        return full;
    }

    void unpark() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Whether to stop: once every sink thread has stopped (drained by close(), halted when
     * shutdownTimeout expired, or died), nothing more of the journal would reach a sink; the last
     * checkpoint then covers all they committed. While one still runs, it may need what is journalled
     * next (close() drains each sink to the last published event).
     */
    private boolean stopping() {
        for (SinkProcessor<E> sink : sinks) {
            if (!sink.isStopped()) {
                return false;
            }
        }
        return true;
    }

    /** Whether the journal thread has stopped: at close after every sink thread, or because it died. */
    boolean isStopped() {
        return stopped.getCount() == 0;
    }

    boolean awaitStopped(long nanos) throws InterruptedException {
        return stopped.await(nanos, TimeUnit.NANOSECONDS);
    }

    EventLog.JournalStats stats() {
        return new EventLog.JournalStats(records.get(), journal.liveBytes(), syncs.get(), replayed.length,
                replay.skipped, replay.cut, fullWaits.get(), writeFailures.get(), codecFailures.get());
    }

    private void warn(java.util.function.Supplier<String> message, Throwable failure) {
        try {
            LOG.log(Level.WARNING, () -> "ringlog[" + name + "]: " + message.get(), failure);
        } catch (Throwable ignored) {
            // nothing better to do with a log line that cannot be written
        }
    }

    /** The records of one write: a byte array that grows, framed in place. */
    private static final class RecordBuffer extends ByteArrayOutputStream {

        RecordBuffer() {
            super(64 * 1024);
        }

        void skip(int n) {
            for (int i = 0; i < n; i++) {
                write(0);
            }
        }

        void truncate(int size) {
            count = size;
        }

        /** Keeps the bytes from {@code at} on, moved to the front. */
        void keepFrom(int at) {
            System.arraycopy(buf, at, buf, 0, count - at);
            count -= at;
        }

        ByteBuffer wrap() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }

    /** A counter written by one thread. */
    private static final class Counter {
        private volatile long value;

        @SuppressWarnings("NonAtomicOperationOnVolatileField") // one writer: the journal thread
        void add(long n) {
            value += n;
        }

        long get() {
            return value;
        }
    }
}
