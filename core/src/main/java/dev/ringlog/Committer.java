package dev.ringlog;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes ranges of ring slots to the sink and resolves every event in them: written, or
 * dead-lettered. Used by one thread at a time: the sink thread, or a sync publisher holding the
 * log's lock.
 *
 * <p>Each slot has a tag beside it, set by the producer before it publishes the slot and cleared here
 * before the slot is released: {@code null} for a plain event, the {@code CompletableFuture} of a
 * durable publish, the {@code Throwable} of a writer that failed, or {@link #ABANDONED} for a
 * sequence claimed after close. The ring's publish/consume ordering publishes the tag with the slot.
 */
final class Committer<E> {

    private static final System.Logger LOG = System.getLogger(EventLog.class.getName());

    /** Tag of a sequence claimed after close: not an event; skipped, counted as a drop by its producer. */
    static final Object ABANDONED = new Object() {
        @Override
        public String toString() {
            return "ABANDONED";
        }
    };

    /**
     * Tag of an event replayed from the journal at start: it may already be in the store (the sink
     * committed it after the last checkpoint), so it is added with {@link Sink#addRedelivery}.
     */
    static final Object REPLAYED = new Object() {
        @Override
        public String toString() {
            return "REPLAYED";
        }
    };

    private final String name;
    private final RingBuffer<E> ring;
    private final Object[] tags;
    private final int mask;
    private final Sink<? super E> sink;
    private final DeadLetterHandler<? super E> deadLetters;
    private final RetryPolicy retry;
    private final Executor callbacks;
    private final Counters counters;
    /** How long a batch may be retried before it is dead-lettered: unbounded on the sink thread. */
    private final long retryForNanos;

    /** Every sequence up to this one is resolved; it gates the producers, so those slots can be reused. */
    private final Sequence resolved = new Sequence(-1);
    private final List<Runnable> completions = new ArrayList<>();
    private final RateLimit failureLog = new RateLimit();
    private final SinkMonitor monitor = new SinkMonitor();
    private volatile boolean halted;
    private long failingSince;
    /** Most events per delivery: halved by each retryable failure, doubled by each success. */
    private int attemptSize = Integer.MAX_VALUE;
    /** Set by {@link #deliver}: the sequence whose {@code add} threw, or -1. */
    private long failedAdd;

    Committer(Settings<E> settings, RingBuffer<E> ring, Sink<? super E> sink, Counters counters, long retryForNanos) {
        this.name = settings.name;
        this.ring = ring;
        this.tags = new Object[ring.getBufferSize()];
        this.mask = ring.getBufferSize() - 1;
        this.sink = sink;
        this.deadLetters = settings.deadLetters;
        this.retry = settings.retry;
        this.callbacks = settings.callbackExecutor;
        this.counters = counters;
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

    /** Called by the producer that claimed {@code sequence}, before it publishes the slot. */
    void tag(long sequence, Object tag) {
        tags[(int) sequence & mask] = tag;
    }

    /** The tag of {@code sequence}; read by the journal thread, which runs ahead of this one. */
    Object tagOf(long sequence) {
        return tags[(int) sequence & mask];
    }

    /** Clears and returns the tag of an unresolved {@code sequence}; for a sync publish that was halted. */
    Object untag(long sequence) {
        int i = (int) sequence & mask;
        Object tag = tags[i];
        tags[i] = null;
        return tag;
    }

    void markWriterFailed(long sequence, Throwable failure) {
        int i = (int) sequence & mask;
        if (tags[i] instanceof CompletableFuture<?> durable) {
            durable.completeExceptionally(failure);
        }
        tags[i] = failure;
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
            Throwable failure = deliver(lo, end, failures > 0);
            if (failure == null) {
                long took = System.nanoTime() - started;
                resolve(lo, end, null);
                counters.addBatch();
                monitor.committed((int) (end - lo + 1), took);
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
     * Events that may already be in the store (all of them when {@code again}, after a retryable failure
     * whose commit may have happened; replayed ones always) go through {@link Sink#addRedelivery}.
     */
    private Throwable deliver(long lo, long hi, boolean again) {
        long adding = lo;
        try {
            for (; adding <= hi; adding++) {
                Object tag = tags[(int) adding & mask];
                if (tag == null || tag instanceof CompletableFuture) { // not abandoned, writer did not fail
                    if (again) {
                        sink.addRedelivery(ring.get(adding));
                    } else {
                        sink.add(ring.get(adding));
                    }
                } else if (tag == REPLAYED) {
                    sink.addRedelivery(ring.get(adding));
                }
            }
            adding = -1; // every add succeeded: a failure from here on is the flush's
            sink.flush();
            return null;
        } catch (Throwable failure) {
            failedAdd = adding;
            return failure;
        }
    }

    /**
     * Resolves {@code [lo, hi]}: written if {@code failure} is null, else dead-lettered with it
     * (an event whose writer threw is dead-lettered with its own failure either way). Then clears the
     * slots and releases them to the producers.
     */
    private void resolve(long lo, long hi, Throwable failure) {
        long written = 0;
        for (long s = lo; s <= hi; s++) {
            int i = (int) s & mask;
            Object tag = tags[i];
            if (tag == ABANDONED) {
                tags[i] = null;
                continue;
            }
            E event = ring.get(s);
            Throwable cause = tag instanceof Throwable writerFailure ? writerFailure : failure;
            if (cause == null) {
                written++;
            } else {
                deadLetter(event, cause);
            }
            if (tag instanceof CompletableFuture<?> durable) {
                complete(durable, cause);
            }
            tags[i] = null;
            if (event instanceof LogEvent logEvent) {
                logEvent.clear();
            }
        }
        counters.addWritten(written);
        // Release store: the producers' claim reads this sequence (acquire) before reusing the
        // slots, so the cleared tags and events above are visible to them.
        resolved.set(hi);
        dispatchCompletions();
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

    private void complete(CompletableFuture<?> durable, Throwable cause) {
        if (cause == null && durable instanceof DurableFuture stamped) {
            monitor.acknowledged(stamped.publishedAt);
        }
        completions.add(cause == null ? () -> durable.complete(null) : () -> durable.completeExceptionally(cause));
    }

    /** Completes futures on the callback executor: user callbacks must not run on the sink thread. */
    private void dispatchCompletions() {
        if (completions.isEmpty()) {
            return;
        }
        Runnable[] batch = completions.toArray(new Runnable[0]);
        completions.clear();
        dispatch(callbacks, name, () -> {
            for (Runnable r : batch) {
                r.run();
            }
        });
    }

    /**
     * Runs {@code completions} on {@code callbacks}; if it refuses, on a thread of its own (this rare
     * path only), still never on the calling ring thread: a callback could block it or publish into its
     * full ring.
     */
    static void dispatch(Executor callbacks, String name, Runnable completions) {
        try {
            callbacks.execute(completions);
        } catch (Throwable rejected) {
            try {
                LOG.log(Level.WARNING, () -> "ringlog[" + name + "]: callbackExecutor rejected completions;"
                        + " completing them on a new thread", rejected);
            } catch (Throwable ignored) {
                // the logging backend failed: complete the futures anyway
            }
            Thread fallback = new Thread(completions, "ringlog-" + name + "-callbacks");
            fallback.setDaemon(true);
            fallback.start();
        }
    }

    /**
     * Fails the futures of every published event not resolved: the log stopped before writing them
     * ({@code why}). Called by the thread that owns the slots (the sink thread, once it has stopped
     * committing), so no outcome is decided twice. The events stay counted as pending.
     */
    void cancelUnresolved(String why) {
        long last = ring.getCursor();
        for (long s = resolved.get() + 1; s <= last; s++) {
            if (ring.isAvailable(s) && tags[(int) s & mask] instanceof CompletableFuture<?> durable) {
                completions.add(() -> durable.completeExceptionally(
                        new CancellationException("ringlog[" + name + "]: " + why + " before the event was written")));
            }
        }
        dispatchCompletions();
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
            LOG.log(failure == null ? Level.INFO : Level.WARNING, () -> "ringlog[" + name + "]: " + message.get(), failure);
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
