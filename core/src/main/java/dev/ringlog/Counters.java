package dev.ringlog;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters behind {@link EventLog.Stats} (the log's) and {@link EventLog.SinkStats} (one sink's:
 * each sink has its own). {@code accepted} is not among them: it is the ring's cursor (every accepted
 * event claimed exactly one sequence) less the claims abandoned after close, so the publish path
 * updates no counter of ours.
 */
final class Counters {

    // Written by one thread at a time (a sink's counters: its sink thread, or a sync publisher holding
    // the log's lock; the log's resolved counts: whoever holds the SlotRelease's lock):
    // a plain read-increment with lazySet is enough. lazySet is a release store: a reader of stats()
    // sees a value that is recent and never torn, and no increment is lost because there is one writer.
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong filtered = new AtomicLong();
    private final AtomicLong sampledOut = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    // Incremented by producers on the rare drop path only: striped so that drops under overload do
    // not make producers fight over one cache line.
    private final LongAdder[] droppedBy = new LongAdder[DropReason.values().length];
    private final LongAdder abandoned = new LongAdder();

    Counters() {
        for (int i = 0; i < droppedBy.length; i++) {
            droppedBy[i] = new LongAdder();
        }
    }

    long written() {
        return written.get();
    }

    long failed() {
        return failed.get();
    }

    long filtered() {
        return filtered.get();
    }

    long sampledOut() {
        return sampledOut.get();
    }

    long batches() {
        return batches.get();
    }

    long retries() {
        return retries.get();
    }

    long dropped() {
        long sum = 0;
        for (LongAdder d : droppedBy) {
            sum += d.sum();
        }
        return sum;
    }

    long dropped(DropReason reason) {
        return droppedBy[reason.ordinal()].sum();
    }

    /** Sequences claimed and then given up because the log closed: not accepted, counted as dropped. */
    long abandoned() {
        return abandoned.sum();
    }

    void addWritten(long n) {
        written.lazySet(written.get() + n);
    }

    void addFailed() {
        failed.lazySet(failed.get() + 1);
    }

    void addFailed(long n) {
        failed.lazySet(failed.get() + n);
    }

    void addFiltered(long n) {
        filtered.lazySet(filtered.get() + n);
    }

    void addSampledOut(long n) {
        sampledOut.lazySet(sampledOut.get() + n);
    }

    void addBatch() {
        batches.lazySet(batches.get() + 1);
    }

    void addRetry() {
        retries.lazySet(retries.get() + 1);
    }

    void addDropped(DropReason reason) {
        droppedBy[reason.ordinal()].increment();
    }

    /** A sequence claimed and given up ({@code reason}: the log closed, or its sink thread stopped). */
    void addAbandoned(DropReason reason) {
        abandoned.increment();
        droppedBy[reason.ordinal()].increment();
    }
}
