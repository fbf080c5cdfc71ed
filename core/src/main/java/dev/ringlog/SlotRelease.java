package dev.ringlog;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Gives ring slots back to the producers once every sink has resolved them, and decides what each slot
 * was for the log as a whole. One per log, shared by its sinks' {@link Committer}s.
 *
 * <p>Each sink resolves slots at its own pace and advances a sequence of its own; this release advances
 * the one sequence that gates the producers to the lowest of them (the slowest sink), so the overflow
 * policy acts only when the slowest sink lags a whole ring behind. Before it does, it clears each slot's
 * tag and event (no sink reads them again), completes its {@code publishDurable} future and counts the
 * event for the log:
 * <ul>
 *   <li>failed if some sink dead-lettered it; else</li>
 *   <li>written if some sink wrote it; else</li>
 *   <li>sampled out if some sink sampled it out; else filtered (every sink filtered it out).</li>
 * </ul>
 * With one sink these are that sink's own outcomes.
 *
 * <p>Called by sink threads after they advance their own sequence, under this object's lock: the last
 * of two sinks to advance past a slot then sees both sequences past it, so no slot is left unreleased;
 * and one thread at a time decides a slot's outcome, once. The lock is taken once per batch, never on
 * the publish path, and nothing under it calls a sink or user code (future callbacks are dispatched
 * after it is let go).
 *
 * <p>Memory ordering: a sink thread writes its verdicts, then advances its sequence (a release store);
 * this reads the sequence (an acquire load), then the verdicts. It clears the slots, then advances the
 * gating sequence (a release store) that producers read (acquire) before they reuse a slot; a sink
 * writes the verdict of the slot's next event only after it has read that event, published after the
 * producer's claim, so it never overwrites a verdict this has not read yet.
 */
final class SlotRelease<E> {

    private static final System.Logger LOG = System.getLogger(EventLog.class.getName());

    /** Tag of a sequence claimed after close: not an event; skipped, counted as a drop by its producer. */
    static final Object ABANDONED = new Object() {
        @Override
        public String toString() {
            return "ABANDONED";
        }
    };

    private final String name;
    final RingBuffer<E> ring;
    /**
     * A tag per slot, set by the producer before it publishes the slot, cleared here before the slot is
     * released: {@code null} for a plain event, the {@link DurableFuture} of a durable publish, the
     * {@code Throwable} of a writer that failed, or {@link #ABANDONED} for a sequence claimed after
     * close. The ring's publish/consume ordering publishes the tag with the slot.
     */
    final Object[] tags;
    final int mask;
    private final Counters counters;
    private final Executor callbacks;
    private final Recorder durableAckNanos = new Recorder();
    /** Every sequence up to this one is released: it gates the producers. */
    private final Sequence released = new Sequence(-1);
    private final List<Runnable> completions = new ArrayList<>();
    private Committer<E>[] sinks;

    SlotRelease(Settings<E> settings, RingBuffer<E> ring, Counters counters) {
        this.name = settings.name;
        this.ring = ring;
        this.tags = new Object[ring.getBufferSize()];
        this.mask = ring.getBufferSize() - 1;
        this.counters = counters;
        this.callbacks = settings.callbackExecutor;
    }

    /** The sinks whose sequences gate the release; set once, before any sink thread starts. */
    void sinks(Committer<E>[] sinks) {
        this.sinks = sinks;
    }

    Committer<E>[] sinks() {
        return sinks;
    }

    Sequence sequence() {
        return released;
    }

    long releasedThrough() {
        return released.get();
    }

    Distribution durableAckNanos() {
        return durableAckNanos.snapshot();
    }

    /** Called by the producer that claimed {@code sequence}, before it publishes the slot. */
    void tag(long sequence, Object tag) {
        tags[(int) sequence & mask] = tag;
    }

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

    /** Releases every slot all sinks have resolved. Called by a sink's thread after it advanced its sequence. */
    void advance() {
        Runnable[] done;
        synchronized (this) {
            long from = released.get() + 1;
            long to = Long.MAX_VALUE;
            for (Committer<E> sink : sinks) {
                to = Math.min(to, sink.resolvedThrough());
            }
            if (to < from) {
                return;
            }
            release(from, to);
            done = completions.isEmpty() ? null : completions.toArray(new Runnable[0]);
            completions.clear();
        }
        dispatch(done);
    }

    private void release(long from, long to) {
        long written = 0;
        long failed = 0;
        long filtered = 0;
        long sampledOut = 0;
        for (long s = from; s <= to; s++) {
            int i = (int) s & mask;
            Object tag = tags[i];
            tags[i] = null;
            if (tag == ABANDONED) {
                continue;
            }
            byte outcome = Committer.FILTERED;
            for (Committer<E> sink : sinks) {
                outcome = (byte) Math.max(outcome, sink.verdict(i)); // FAILED > WRITTEN > SAMPLED_OUT > FILTERED
            }
            switch (outcome) {
                case Committer.FAILED -> failed++;
                case Committer.WRITTEN -> written++;
                case Committer.SAMPLED_OUT -> sampledOut++;
                default -> filtered++;
            }
            if (tag instanceof DurableFuture durable) {
                Throwable failure = durable.failure;
                if (failure == null) {
                    durableAckNanos.record(System.nanoTime() - durable.publishedAt);
                    completions.add(() -> durable.complete(null));
                } else {
                    completions.add(() -> durable.completeExceptionally(failure));
                }
            }
            if (ring.get(s) instanceof LogEvent event) {
                event.clear();
            }
        }
        counters.addWritten(written);
        counters.addFailed(failed);
        counters.addFiltered(filtered);
        counters.addSampledOut(sampledOut);
        // Release store: producers read this sequence (acquire) before reusing the slots, so the cleared
        // tags and events above are visible to them.
        released.set(to);
    }

    /** Completes futures on the callback executor: user callbacks must not run on a sink thread. */
    void dispatch(Runnable[] batch) {
        if (batch == null) {
            return;
        }
        try {
            callbacks.execute(() -> {
                for (Runnable r : batch) {
                    r.run();
                }
            });
        } catch (Throwable rejected) {
            // Still never on the sink thread (a callback could block it or publish into its full ring):
            // a thread of its own, on this rare path only.
            try {
                LOG.log(Level.WARNING, () -> "ringlog[" + name + "]: callbackExecutor rejected " + batch.length
                        + " completions; completing them on a new thread", rejected);
            } catch (Throwable ignored) {
                // a logging backend that throws must not stop the sink thread
            }
            Thread fallback = new Thread(() -> {
                for (Runnable r : batch) {
                    r.run();
                }
            }, "ringlog-" + name + "-callbacks");
            fallback.setDaemon(true);
            fallback.start();
        }
    }
}
