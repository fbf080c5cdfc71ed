package dev.ringlog;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Writes ranges of ring slots to one sink and resolves every event in them for that sink: written,
 * dead-lettered, filtered out or sampled out. One per sink; used by one thread at a time: that sink's
 * thread, or a sync publisher holding the log's lock. The slots themselves (their tags, their futures,
 * their reuse) belong to the log's {@link SlotRelease}, which gives them back to the producers once
 * every sink has resolved them.
 */
final class Committer<E> {

    private static final System.Logger LOG = System.getLogger(EventLog.class.getName());

    /** Verdicts, one per slot: taken (to be delivered), then written or failed; or skipped by this sink. */
    static final byte TAKEN = 0;
    static final byte FILTERED = 1;
    static final byte SAMPLED_OUT = 2;
    static final byte WRITTEN = 3;
    static final byte FAILED = 4;

    private final String name;
    final String sinkName;
    /** {@code " sink <name>"} in messages when the log has several sinks, else empty. */
    private final String label;
    private final RingBuffer<E> ring;
    private final SlotRelease<E> slots;
    private final Object[] tags;
    private final int mask;
    /** This sink's verdict on each slot; written by its thread, read by the release once this sink's sequence is past it. */
    private final byte[] verdicts;
    private final Sink<? super E> sink;
    private final Predicate<? super E> filter;
    private final Sampler<E> sampler;
    private final DeadLetterHandler<? super E> deadLetters;
    private final RetryPolicy retry;
    final Counters counters = new Counters();
    /** How long a batch may be retried before it is dead-lettered: unbounded on the sink thread. */
    private final long retryForNanos;

    /** Every sequence up to this one is resolved by this sink; the release gates the producers on the lowest. */
    private final Sequence resolved = new Sequence(-1);
    private final RateLimit failureLog = new RateLimit();
    private final RateLimit selectLog = new RateLimit();
    private final SinkMonitor monitor = new SinkMonitor();
    private volatile boolean halted;
    private long failingSince;
    /** Most events per delivery: halved by each retryable failure, doubled by each success. */
    private int attemptSize = Integer.MAX_VALUE;
    /** Set by {@link #deliver}: the sequence whose {@code add} threw, or -1. */
    private long failedAdd;
    /** Set by {@link #deliver}: how many events it added. */
    private int added;

    Committer(Settings<E> settings, SinkOptions<E> spec, SlotRelease<E> slots, Sampler<E> sampler, long retryForNanos) {
        this.name = settings.name;
        this.sinkName = spec.name;
        this.label = settings.sinks.size() > 1 ? " sink " + spec.name : "";
        this.slots = slots;
        this.ring = slots.ring;
        this.tags = slots.tags;
        this.mask = slots.mask;
        this.verdicts = new byte[ring.getBufferSize()];
        this.sink = spec.sink;
        this.filter = spec.filter;
        this.sampler = sampler.samplesNothing() ? null : sampler;
        this.deadLetters = spec.deadLetters;
        this.retry = spec.retry;
        this.retryForNanos = retryForNanos;
    }

    Sequence sequence() {
        return resolved;
    }

    SinkMonitor monitor() {
        return monitor;
    }

    long resolvedThrough() {
        return resolved.get();
    }

    /** This sink's verdict on slot index {@code i}; read by the release after this sink's sequence. */
    byte verdict(int i) {
        return verdicts[i];
    }

    /**
     * Decides which of the newly read events {@code [lo, hi]} this sink takes: the filter, then the
     * sampler. A filter or sampler that throws takes the event (nothing is lost for a bug in a
     * predicate) and is logged at most once per 10 s. A half-written event (its writer threw) is taken
     * without asking: it is dead-lettered. Called on the sink thread as it reads the events.
     */
    void select(long lo, long hi) {
        if (filter == null && sampler == null) {
            for (long s = lo; s <= hi; s++) {
                verdicts[(int) s & mask] = TAKEN;
            }
            return;
        }
        for (long s = lo; s <= hi; s++) {
            int i = (int) s & mask;
            Object tag = tags[i];
            byte verdict = TAKEN;
            if (tag == null || tag instanceof CompletableFuture) {
                E event = ring.get(s);
                try {
                    if (filter != null && !filter.test(event)) {
                        verdict = FILTERED;
                    } else if (sampler != null && !sampler.keeps(event, s)) {
                        verdict = SAMPLED_OUT;
                    }
                } catch (Throwable t) {
                    verdict = TAKEN;
                    if (selectLog.allow(System.nanoTime())) {
                        warn(() -> "the sink's filter or sampling key threw; the event is taken", t);
                    }
                }
            }
            verdicts[i] = verdict;
        }
    }

    /**
     * Writes {@code [lo, hi]} and resolves every event in it, in order. A retryable failure is retried
     * with backoff on the same events, each attempt with half as many events as the one that failed
     * (down to one), so that an attempt fits between two faults of a flapping store; sizes double back
     * after each success, and the backoff starts again from its initial delay once an attempt succeeds.
     * A failure that is not retryable is narrowed down to the events that cause it (the one {@code add}
     * threw for, or by halving the range when {@code flush} threw), which go to the dead-letter handler
     * while the rest is committed.
     *
     * <p>Nothing after a successful {@code flush} can cause a re-delivery: the range is resolved (and
     * its slots released) before any bookkeeping that could throw.
     *
     * @return {@code false} if {@link #halt()} stopped it first: the rest of the range stays pending
     */
    boolean commit(long lo, long hi) {
        int failures = 0;
        long giveUpAt = 0;
        while (lo <= hi) {
            if (halted) {
                return false;
            }
            long end = attemptSize >= hi - lo + 1 ? hi : lo + attemptSize - 1;
            long started = System.nanoTime();
            Throwable failure = deliver(lo, end);
            if (failure == null) {
                long took = System.nanoTime() - started;
                int events = added;
                resolve(lo, end, null);
                if (events > 0) {
                    counters.addBatch();
                    monitor.committed(events, took);
                }
                attemptSize = attemptSize > Integer.MAX_VALUE / 2 ? Integer.MAX_VALUE : attemptSize * 2;
                if (failures > 0) {
                    recovered(failures);
                    failures = 0;
                }
                lo = end + 1;
                continue;
            }
            if (halted) {
                // close() gave up and interrupted the attempt: the failure is the interrupt's, not the
                // events'. They stay pending (and their futures are cancelled by the sink thread).
                return false;
            }
            long failedAdd = this.failedAdd;
            if (isRetryable(failure)) {
                if (++failures == 1) {
                    giveUpAt = System.nanoTime() + Math.min(retryForNanos, Long.MAX_VALUE / 2);
                }
                if (retry.allowsAnother(failures) && System.nanoTime() - giveUpAt < 0) {
                    attemptSize = (int) Math.max(1, (end - lo + 1) / 2);
                    if (!backOff(failures, end - lo + 1, failure, giveUpAt)) {
                        return false;
                    }
                    continue;
                }
                long events = hi - lo + 1;
                int attempts = failures;
                monitor.failed(failure);
                resolve(lo, hi, failure); // retries exhausted or out of time: the range is dead-lettered
                warn(() -> "gave up after " + attempts + " failed attempts; " + events + " events dead-lettered", failure);
                return true;
            }
            failures = 0;
            monitor.failed(failure);
            if (failedAdd >= 0) {
                if (!commit(lo, failedAdd - 1)) {
                    return false;
                }
                resolve(failedAdd, failedAdd, failure);
                lo = failedAdd + 1;
            } else if (lo == end) {
                resolve(lo, lo, failure);
                lo++;
            } else {
                long mid = (lo + end) >>> 1;
                if (!commit(lo, mid)) {
                    return false;
                }
                lo = mid + 1;
            }
        }
        return true;
    }

    /**
     * Adds {@code [lo, hi]} to the sink and flushes: {@code null} if it committed, else the failure, with
     * {@link #failedAdd} set to the sequence whose {@code add} threw ({@code -1} if {@code flush} threw).
     */
    private Throwable deliver(long lo, long hi) {
        long adding = lo;
        added = 0;
        try {
            for (; adding <= hi; adding++) {
                int i = (int) adding & mask;
                Object tag = tags[i];
                // not abandoned, writer did not fail, neither filtered nor sampled out by this sink
                if ((tag == null || tag instanceof CompletableFuture) && verdicts[i] == TAKEN) {
                    sink.add(ring.get(adding));
                    added++;
                }
            }
            adding = -1; // every add succeeded: a failure from here on is the flush's
            if (added > 0) { // a range this sink skips entirely is resolved without a flush
                sink.flush();
            }
            return null;
        } catch (Throwable failure) {
            failedAdd = adding;
            return failure;
        }
    }

    /**
     * Resolves {@code [lo, hi]} for this sink: each event it took is written if {@code failure} is null,
     * else dead-lettered with it (an event whose writer threw is dead-lettered with its own failure
     * either way). Then advances this sink's sequence and lets the release give back to the producers
     * what every sink has resolved.
     */
    private void resolve(long lo, long hi, Throwable failure) {
        long written = 0;
        long filtered = 0;
        long sampledOut = 0;
        for (long s = lo; s <= hi; s++) {
            int i = (int) s & mask;
            Object tag = tags[i];
            if (tag == SlotRelease.ABANDONED) {
                continue;
            }
            byte verdict = verdicts[i];
            if (verdict == FILTERED) {
                filtered++;
                continue;
            }
            if (verdict == SAMPLED_OUT) {
                sampledOut++;
                continue;
            }
            Throwable cause = tag instanceof Throwable writerFailure ? writerFailure : failure;
            if (cause == null) {
                written++;
                verdicts[i] = WRITTEN;
                if (tag instanceof DurableFuture durable) {
                    monitor.acknowledged(durable.publishedAt);
                }
            } else {
                verdicts[i] = FAILED;
                if (tag instanceof DurableFuture durable) {
                    durable.failure = cause; // completed by the release, once every sink has resolved it
                }
                deadLetter(ring.get(s), cause);
            }
        }
        counters.addWritten(written);
        counters.addFiltered(filtered);
        counters.addSampledOut(sampledOut);
        // Release store: the verdicts above are visible to the release, which reads this sequence first.
        resolved.set(hi);
        slots.advance();
    }

    /** Hands the event to the handler, then counts it: {@code failed} never runs ahead of the handler. */
    private void deadLetter(E event, Throwable cause) {
        try {
            deadLetters.handle(event, cause);
        } catch (Throwable t) {
            warn(() -> "the deadLetters handler threw; the event stays counted as failed", t);
        } finally {
            counters.addFailed();
        }
    }

    /**
     * Fails the futures of every published event this sink has not resolved: it stopped before writing
     * them ({@code why}), so the release never gives those slots back and never completes their futures.
     * Called by the thread that owns this sink (its sink thread, once it has stopped committing), so no
     * outcome is decided twice. The events stay counted as pending.
     */
    void cancelUnresolved(String why) {
        long last = ring.getCursor();
        List<Runnable> cancels = new ArrayList<>();
        for (long s = resolved.get() + 1; s <= last; s++) {
            if (ring.isAvailable(s) && tags[(int) s & mask] instanceof CompletableFuture<?> durable) {
                cancels.add(() -> durable.completeExceptionally(new CancellationException(
                        "ringlog[" + name + "]: " + why + label + " before the event was written")));
            }
        }
        slots.dispatch(cancels.isEmpty() ? null : cancels.toArray(new Runnable[0]));
    }

    private boolean isRetryable(Throwable failure) {
        try {
            return sink.isRetryable(failure);
        } catch (Throwable t) {
            warn(() -> "Sink.isRetryable threw; treating the failure as not retryable", t);
            return false;
        }
    }

    /** Waits before the next delivery, not past {@code giveUpAt}; {@code false} if halted meanwhile. */
    private boolean backOff(int failures, long events, Throwable failure, long giveUpAt) {
        if (halted) {
            return false; // the failure was close() cutting the attempt short: not a retry
        }
        long now = System.nanoTime();
        long delay = Math.min(retry.delayNanos(failures), Math.max(0, giveUpAt - now));
        if (failures == 1) {
            failingSince = now;
        }
        if (failureLog.allow(now)) {
            long more = failureLog.suppressed();
            warn(() -> "sink failed (attempt " + failures + ", " + more + " failures not logged); retrying "
                    + events + " events in " + (delay / 1_000_000) + " ms", failure);
        }
        counters.addRetry();
        monitor.retrying(failure, delay);
        long deadline = now + delay;
        for (long left = delay; left > 0 && !halted; left = deadline - System.nanoTime()) {
            // An interrupt is not a stop signal (halt() is, and unparks): clear it, or park would
            // return at once and this loop would spin.
            Thread.interrupted();
            LockSupport.parkNanos(this, left);
        }
        return !halted;
    }

    private void recovered(int failures) {
        long ms = (System.nanoTime() - failingSince) / 1_000_000;
        warn(() -> "sink recovered after " + failures + " failed attempts in " + ms + " ms", null);
    }

    /**
     * Logs on the sink thread. A logging backend that throws must not reach {@link #commit}: it would
     * stop the sink thread, or, after a commit, make it deliver a range again.
     */
    private void warn(java.util.function.Supplier<String> message, Throwable failure) {
        try {
            LOG.log(failure == null ? Level.INFO : Level.WARNING, () -> "ringlog[" + name + "]"
                    + label + ": " + message.get(), failure);
        } catch (Throwable ignored) {
            // nothing better to do with a log line that cannot be written
        }
    }

    /** Stops retrying: {@link #commit} returns {@code false} at its next check. Any thread. */
    void halt() {
        halted = true;
    }

    boolean isHalted() {
        return halted;
    }

    /** Closes the sink; called once by the thread that owns it. */
    void closeSink() {
        try {
            sink.close();
        } catch (Throwable t) {
            warn(() -> "closing the sink failed", t);
        }
    }
}
