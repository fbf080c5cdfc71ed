package dev.ringlog;

import com.lmax.disruptor.RingBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.management.ObjectName;

/**
 * A log of structured events written to a {@link Sink} in batches, off the publishing thread.
 *
 * <p>Producers claim a slot in a pre-allocated ring (an LMAX Disruptor {@code RingBuffer}, no
 * locks), fill it in place with a writer and return; one sink thread adds the events to the sink
 * and flushes when it has caught up with the producers, when {@code maxBatchSize} events are
 * pending, or when {@code linger} has passed. The sink thread advances past an event only once its
 * batch is committed, so the ring itself holds events that are being retried.
 *
 * <pre>{@code
 * EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink).name("analytics").start();
 * log.publish(LogEvent::set, "page_view", userId, "{\"path\":\"/home\"}");
 * }</pre>
 *
 * <p>A log can have several sinks ({@link #builder(Supplier)} and {@link Builder#sink(String, Sink,
 * Consumer)}), each with a sink thread of its own reading the same ring; a slot is reused once every
 * sink has resolved it.
 *
 * <p>Every {@code publish} call is counted once in {@link #stats()}: accepted, or dropped (ring
 * full, or log closed). Every accepted event ends written, failed (dead-lettered), filtered or
 * sampled out (no sink took it), or is still pending:
 * {@code accepted == written + failed + filtered + sampledOut + pending} at every moment, and
 * {@code pending == 0} after a clean {@link #close()}.
 *
 * <p>All methods are thread-safe. {@code publish} never throws for a full ring or a closed log: it
 * returns {@code false}. It throws only for a programming error: a null writer, or a writer that
 * throws (rethrown to the caller; the half-written event is dead-lettered).
 *
 * @param <E> the event type; slots are created once by the factory given to {@link #builder}
 */
public abstract sealed class EventLog<E> implements AutoCloseable permits RingEventLog, SyncEventLog {

    /** Writes one event with a zero-argument writer: {@code publish(APPLY, writer)}, no allocation. */
    private static final EventWriter1<Object, EventWriter<Object>> APPLY = (event, writer) -> writer.write(event);

    final String name;
    final RingBuffer<E> ring;
    /** The log's slots: their tags, and their release once every sink has resolved them. */
    final SlotRelease<E> slots;
    /** One per sink, in the order they were added. */
    final Committer<E>[] sinks;
    /** The views of {@link #sinks()}: held by the log, so meters that hold a view weakly live as long as the log. */
    private final List<SinkView> sinkViews;
    final Counters counters;
    final Settings<E> settings;
    /** Set once by close(): see {@link ClosedFlag} for the handshake with claims. */
    final ClosedFlag closed = new ClosedFlag();
    private final long idBase;
    private final boolean stampsIds;
    private final ShutdownHook hook;
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private final CountDownLatch closeDone = new CountDownLatch(1);
    /** The JMX names this log and its sinks are registered under. Written by started(), read by close(). */
    private volatile List<ObjectName> jmxNames = List.of();

    EventLog(Settings<E> settings, RingBuffer<E> ring, SlotRelease<E> slots, Counters counters, long idBase) {
        this.name = settings.name;
        this.settings = settings;
        this.ring = ring;
        this.slots = slots;
        this.sinks = slots.sinks();
        List<SinkView> views = new ArrayList<>(sinks.length);
        for (int i = 0; i < sinks.length; i++) {
            views.add(new SinkView(this, i));
        }
        this.sinkViews = List.copyOf(views);
        this.counters = counters;
        this.idBase = idBase;
        this.stampsIds = ring.get(0) instanceof LogEvent;
        this.hook = settings.shutdownHook ? new ShutdownHook(this) : null;
    }

    /** Registers the shutdown hook and the JMX bean, if wanted; the last step of starting a log. */
    final EventLog<E> started() {
        if (hook != null) {
            hook.register();
        }
        if (settings.jmx) {
            jmxNames = Jmx.register(this);
        }
        return this;
    }

    /** The sinks' committers, each with its sampler; for start(). */
    @SuppressWarnings("unchecked")
    static <E> Committer<E>[] committers(Settings<E> settings, SlotRelease<E> slots, E sampleEvent, long idBase,
                                         long retryForNanos) {
        Committer<E>[] committers = new Committer[settings.sinks.size()];
        for (int i = 0; i < committers.length; i++) {
            SinkOptions<E> sink = settings.sinks.get(i);
            committers[i] = new Committer<>(settings, sink, slots, settings.sampler(sink, sampleEvent, idBase), retryForNanos);
        }
        return committers;
    }

    /**
     * Starts configuring a log with one sink (named {@code main} in {@link #sinks()}).
     *
     * @param factory creates the ring's events, once each, before the log starts
     * @param sink where events are written; called on the sink thread only
     */
    public static <E> Builder<E> builder(Supplier<? extends E> factory, Sink<? super E> sink) {
        Builder<E> builder = new Builder<>(factory);
        return builder.sink("main", Objects.requireNonNull(sink, "sink"));
    }

    /**
     * Starts configuring a log whose sinks are added with {@link Builder#sink(String, Sink, Consumer)}:
     * one ring, read by a sink thread per sink, each at its own pace.
     *
     * @param factory creates the ring's events, once each, before the log starts
     */
    public static <E> Builder<E> builder(Supplier<? extends E> factory) {
        return new Builder<>(factory);
    }

    /**
     * Publishes one event filled by {@code writer}.
     *
     * @return {@code true} if the event was accepted; {@code false} if it was dropped (ring full
     *     under the overflow policy, or log closed), counted in {@link Stats#dropped()}
     * @throws NullPointerException if {@code writer} is null
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public final boolean publish(EventWriter<? super E> writer) {
        return publish((EventWriter1) APPLY, Objects.requireNonNull(writer, "writer"));
    }

    /**
     * Publishes one event filled by {@code writer} from {@code a}. With a non-capturing lambda or a
     * method reference, allocates nothing. See {@link #publish(EventWriter)}.
     */
    public final <A> boolean publish(EventWriter1<? super E, A> writer, A a) {
        Objects.requireNonNull(writer, "writer");
        long sequence = claim(null);
        if (sequence < 0) {
            return false;
        }
        try {
            writer.write(slot(sequence), a);
        } catch (Throwable t) {
            writerFailed(sequence, t);
            throw t;
        }
        return release(sequence);
    }

    /** Publishes one event filled by {@code writer} from {@code a} and {@code b}. See {@link #publish(EventWriter)}. */
    public final <A, B> boolean publish(EventWriter2<? super E, A, B> writer, A a, B b) {
        Objects.requireNonNull(writer, "writer");
        long sequence = claim(null);
        if (sequence < 0) {
            return false;
        }
        try {
            writer.write(slot(sequence), a, b);
        } catch (Throwable t) {
            writerFailed(sequence, t);
            throw t;
        }
        return release(sequence);
    }

    /** Publishes one event filled by {@code writer} from {@code a}, {@code b} and {@code c}. See {@link #publish(EventWriter)}. */
    public final <A, B, C> boolean publish(EventWriter3<? super E, A, B, C> writer, A a, B b, C c) {
        Objects.requireNonNull(writer, "writer");
        long sequence = claim(null);
        if (sequence < 0) {
            return false;
        }
        try {
            writer.write(slot(sequence), a, b, c);
        } catch (Throwable t) {
            writerFailed(sequence, t);
            throw t;
        }
        return release(sequence);
    }

    /**
     * Publishes one event and returns a future that completes when the database has it: normally
     * once the event's batch is committed, exceptionally with the sink's failure if the event is
     * dead-lettered, with {@link java.util.concurrent.RejectedExecutionException} if it is dropped,
     * or with {@link java.util.concurrent.CancellationException} if the log closes before writing it.
     * With several sinks: normally once every sink that takes the event (its filter and sampling keep
     * it) has committed it, and every other sink has passed it; exceptionally with a failure if any
     * sink dead-lettered it; cancelled if any sink stopped before resolving it.
     *
     * <p>Completions run on the builder's {@code callbackExecutor}, never on the sink thread.
     * Allocates the future; for events that need no acknowledgement use {@code publish}. Also wakes
     * the sink thread if it is idle, so the acknowledgement does not wait for its next poll.
     *
     * @throws NullPointerException if {@code writer} is null
     */
    public final CompletableFuture<Void> publishDurable(EventWriter<? super E> writer) {
        Objects.requireNonNull(writer, "writer");
        CompletableFuture<Void> done = new DurableFuture();
        long sequence = claim(done);
        if (sequence >= 0) {
            try {
                writer.write(slot(sequence));
            } catch (Throwable t) {
                writerFailed(sequence, t);
                throw t;
            }
            release(sequence);
            wakeSinkThread();
        }
        return done;
    }

    /** {@link #publishDurable(EventWriter)} with one argument. */
    public final <A> CompletableFuture<Void> publishDurable(EventWriter1<? super E, A> writer, A a) {
        Objects.requireNonNull(writer, "writer");
        return publishDurable(event -> writer.write(event, a));
    }

    /** {@link #publishDurable(EventWriter)} with two arguments. */
    public final <A, B> CompletableFuture<Void> publishDurable(EventWriter2<? super E, A, B> writer, A a, B b) {
        Objects.requireNonNull(writer, "writer");
        return publishDurable(event -> writer.write(event, a, b));
    }

    /** {@link #publishDurable(EventWriter)} with three arguments. */
    public final <A, B, C> CompletableFuture<Void> publishDurable(EventWriter3<? super E, A, B, C> writer, A a, B b, C c) {
        Objects.requireNonNull(writer, "writer");
        return publishDurable(event -> writer.write(event, a, b, c));
    }

    /**
     * Waits until every event published before this call is resolved (written, dead-lettered, filtered
     * or sampled out) by every sink, asking each sink thread to flush now rather than after {@code linger}.
     *
     * @return {@code true} if everything was resolved within {@code timeout}; {@code false} if the
     *     time ran out (the sink is down or slow) or the log closed with events left over
     */
    public final boolean flush(Duration timeout) {
        long target = ring.getCursor();
        long deadline = System.nanoTime() + Settings.saturatedNanos(timeout);
        requestFlush(target);
        long pause = 1_000;
        while (slots.releasedThrough() < target) {
            if (isTerminated()) {
                return stats().pending() == 0;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            // Poll with a growing pause: flush is not on the hot path, and a wake-up signal from
            // the sink thread would cost every batch a check for waiters.
            LockSupport.parkNanos(Math.min(pause, left));
            pause = Math.min(pause * 2, 1_000_000);
        }
        return true;
    }

    /**
     * A snapshot of the counters. Each counter is exact; the snapshot as a whole is read without a
     * lock while events move, so read it after {@link #flush} or {@link #close} for exact sums.
     */
    public final Stats stats() {
        // Order matters: resolved counts, then abandoned claims, then the cursor. Each only grows and
        // an event is claimed before it is abandoned or resolved, so pending can only be overstated
        // for a moment, never negative.
        long written = counters.written();
        long failed = counters.failed();
        long filtered = counters.filtered();
        long sampledOut = counters.sampledOut();
        long dropped = counters.dropped();
        long abandoned = counters.abandoned();
        long accepted = ring.getCursor() + 1 - abandoned;
        long batches = 0;
        long retries = 0;
        for (Committer<E> sink : sinks) {
            batches += sink.counters.batches();
            retries += sink.counters.retries();
        }
        return new Stats(accepted, dropped, written, failed, accepted - written - failed - filtered - sampledOut,
                batches, retries, filtered, sampledOut);
    }

    /** One sink's counters; see {@link SinkStats}. */
    final SinkStats stats(int sink) {
        Counters c = sinks[sink].counters;
        long written = c.written();
        long failed = c.failed();
        long filtered = c.filtered();
        long sampledOut = c.sampledOut();
        long accepted = ring.getCursor() + 1 - counters.abandoned(); // after the counts: see stats()
        return new SinkStats(accepted, written, failed, filtered, sampledOut,
                accepted - written - failed - filtered - sampledOut, c.batches(), c.retries());
    }

    /**
     * The log's sinks, in the order they were added (one, named {@code main}, for a log built with
     * {@link #builder(Supplier, Sink)}): each one's counters, health and timings.
     */
    public final List<SinkView> sinks() {
        return sinkViews;
    }

    /** Whether sink {@code sink}'s thread has stopped (in sync mode: the log is closed). */
    abstract boolean isStopped(int sink);

    final SinkHealth health(int sink) {
        return sinks[sink].monitor().health(isStopped(sink));
    }

    /** Publish calls refused for {@code reason}; they add up to {@link Stats#dropped()}. */
    public final long dropped(DropReason reason) {
        return counters.dropped(Objects.requireNonNull(reason, "reason"));
    }

    /**
     * The sink's health now: writing, retrying (since when, how often, why, next attempt) or stopped.
     * With several sinks, the worst of them: a stopped one, else a retrying one, else the first.
     */
    public final SinkHealth sinkHealth() {
        SinkHealth worst = null;
        for (int i = 0; i < sinks.length; i++) {
            SinkHealth h = health(i);
            if (worst == null || h.state().compareTo(worst.state()) > 0) {
                worst = h;
            }
        }
        return worst;
    }

    /** Events per committed delivery to the sink, since the log started; with several sinks, all their deliveries. */
    public final Distribution batchSizes() {
        Distribution all = new Distribution(0, 0, 0);
        for (Committer<E> sink : sinks) {
            all = all.plus(sink.monitor().batchSizes());
        }
        return all;
    }

    /**
     * Nanoseconds each committed delivery took (the sink's adds and its flush), since the log started;
     * with several sinks, all their deliveries.
     */
    public final Distribution commitNanos() {
        Distribution all = new Distribution(0, 0, 0);
        for (Committer<E> sink : sinks) {
            all = all.plus(sink.monitor().commitNanos());
        }
        return all;
    }

    /**
     * Nanoseconds from a {@code publishDurable} call to the commit of its event (before its future's
     * callbacks run), for every acknowledged durable event since the log started; with several sinks,
     * to the last sink's commit.
     */
    public final Distribution durableAckNanos() {
        return slots.durableAckNanos();
    }

    /** What the journal has done since the log started; all zeros without a journal. */
    public JournalStats journalStats() {
        return new JournalStats(0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Slots in the ring (1 in sync mode). */
    public final int ringCapacity() {
        return ring.getBufferSize();
    }

    /** Free slots in the ring now: when it reaches 0, the overflow policy decides. */
    public final long ringRemaining() {
        return ring.remainingCapacity();
    }

    /** The log's name, as given to {@link Builder#name}: it names the sink thread and every message. */
    public final String name() {
        return name;
    }

    /** Whether {@link #close()} has been called. */
    public final boolean isClosed() {
        return closed.isSet();
    }

    /**
     * Stops accepting events, writes every accepted event and closes the sink, returning within
     * {@code shutdownTimeout}. Events still unwritten when the time is up stay counted as pending, their
     * {@code publishDurable} futures fail with {@link java.util.concurrent.CancellationException}, and
     * they are logged with the log's name. Idempotent and thread-safe: a second call waits for the
     * first. Publishing after close returns {@code false} and counts a drop. Called by the sink itself
     * (from inside a batch), it returns at once and the log closes when that batch is done.
     */
    @Override
    public final void close() {
        long timeout = Settings.saturatedNanos(settings.shutdownTimeout);
        if (!closeStarted.compareAndSet(false, true)) {
            try {
                closeDone.await(timeout, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            if (hook != null) {
                hook.unregister();
            }
            closeWithin(timeout);
        } finally {
            Jmx.unregister(jmxNames);
            closeDone.countDown();
        }
    }

    /** The mode's close, called once, by the first close(). */
    abstract void closeWithin(long timeoutNanos);

    /** Claims a slot, or counts a drop and returns -1 (completing {@code durable} exceptionally). */
    abstract long claim(Object durable);

    /** Makes the claimed, written slot visible to the sink. */
    abstract boolean release(long sequence);

    abstract void requestFlush(long target);

    abstract void wakeSinkThread();

    abstract boolean isTerminated();

    /** Counts a refused publish and fails its future (if {@code durable} is one), saying why; returns -1 for claim(). */
    final long drop(Object durable, DropReason reason) {
        counters.addDropped(reason);
        rejectDurable(durable, reason);
        return -1;
    }

    /** Fails a dropped {@code publishDurable}'s future (if {@code durable} is one), saying why. */
    final void rejectDurable(Object durable, DropReason reason) {
        if (durable != null) {
            ((CompletableFuture<?>) durable).completeExceptionally(
                    new RejectedExecutionException("ringlog[" + name + "]: event dropped (" + reason.text() + ")"));
        }
    }

    /** The slot for {@code sequence}, its id stamped when it is a {@link LogEvent}. */
    private E slot(long sequence) {
        E event = ring.get(sequence);
        if (stampsIds) {
            ((LogEvent) event).id(idBase + sequence);
        }
        return event;
    }

    private void writerFailed(long sequence, Throwable t) {
        slots.markWriterFailed(sequence, t);
        release(sequence);
    }

    @Override
    public String toString() {
        return "EventLog[" + name + ", " + stats() + "]";
    }

    /** How events reach the sink. */
    public enum Mode {
        /** Through the ring and the sink thread: {@code publish} returns before the write. */
        ASYNC,
        /**
         * On the caller's thread, one publish at a time, committed before {@code publish} returns;
         * the same accounting. The rollback switch for when the asynchronous path is suspected
         * ({@code ringlog.mode=sync} or the environment variable {@code RINGLOG_MODE=sync}). A
         * retryable sink failure is retried only as long as the overflow policy lets a publish wait:
         * not at all under {@code DROP} (the event is dead-lettered), up to the bound under
         * {@code blockFor}, until the store is back under {@code BLOCK}.
         */
        SYNC
    }

    /**
     * How the idle sink thread waits for events. Each reacts to {@code linger}, {@code flush} and
     * {@code close} promptly; they differ in what an idle log costs and in what a publish costs.
     */
    public enum WaitStrategy {
        /**
         * The default: spin briefly, yield, then park for periods that double up to 100 ms. Producers
         * never signal (a publish costs what the Disruptor's own publish costs); an idle sink thread
         * costs about ten short wake-ups a second; an event after an idle spell waits up to 100 ms
         * for the sink thread (a database write is slower still). {@code publishDurable},
         * {@code flush} and {@code close} wake it at once.
         */
        SLEEP,
        /**
         * Block on a condition: zero idle CPU and immediate wake-up, but a publish that finds the
         * sink thread waiting pays for the lock and the signal (the Disruptor's
         * {@code LiteTimeoutBlockingWaitStrategy}).
         */
        BLOCK,
        /** Spin briefly, then {@code Thread.yield()}: low latency, a busy core while idle. */
        YIELD,
        /** Busy-spin: lowest latency, a whole core while idle. Only with a core to spare. */
        SPIN
    }

    /** When a {@code publishDurable} future completes, with a journal. */
    public enum DurableAck {
        /** When the sink has committed the event (the default, and the only choice without a journal). */
        COMMIT,
        /**
         * When the journal has the event: written under {@link SyncPolicy#NONE} (survives a process kill),
         * synced under {@link SyncPolicy#PER_BATCH} or at the next periodic sync (survives a power loss too);
         * or when the sink has committed it, if that comes first (the store has it then). A slow or
         * unreachable database then does not hold the acknowledgement back; the event is written (or
         * dead-lettered, logged) later, and replayed after a restart if it was not.
         */
        JOURNAL
    }

    /**
     * The journal's counters.
     *
     * @param records events appended since the log started (replayed ones are not appended again)
     * @param bytes bytes on disk in segments not yet wholly committed
     * @param syncs syncs of the journal to the storage device
     * @param replayed events replayed at start (journalled before, not committed by the sinks)
     * @param damaged records skipped at replay because their checksum failed (the records after them were replayed)
     * @param cut segments cut short at replay where nothing valid followed (a torn tail after a crash, or damage)
     * @param fullWaits times the journal was full and waited for the sink to commit
     * @param writeFailures failed writes, syncs or checkpoints (a full disk), each retried
     * @param codecFailures events the codec could not write: they went to the sink without being journalled
     */
    public record JournalStats(long records, long bytes, long syncs, long replayed, long damaged, long cut,
                               long fullWaits, long writeFailures, long codecFailures) {
    }

    /**
     * The counters of a log. Every publish call is counted once, as accepted or dropped, and
     * {@code accepted == written + failed + filtered + sampledOut + pending}: filtered and sampled out
     * are what became of accepted events that no sink took (0 without filters and sampling, when the
     * identity is {@code accepted == written + failed + pending}).
     *
     * <p>With several sinks, an event is counted here once every sink has resolved it: failed if some
     * sink dead-lettered it, else written if some sink wrote it, else sampled out if some sink sampled
     * it out, else filtered (every sink filtered it out); pending until then. Each sink's own counts are
     * in {@link EventLog#sinks()}.
     *
     * @param accepted events taken into the ring
     * @param dropped publish calls refused: ring full under the overflow policy, or log closed
     * @param written events the sink committed (with several: some sink, and none failed them)
     * @param failed events handed to the dead-letter handler (with several: by some sink)
     * @param pending accepted events not yet resolved (with several: by every sink)
     * @param batches successful sink flushes (with several: of all sinks)
     * @param retries deliveries repeated after a retryable sink failure (with several: of all sinks)
     * @param filtered events no sink took, every sink's filter having refused them
     * @param sampledOut events no sink took, some sink having sampled them out
     */
    public record Stats(long accepted, long dropped, long written, long failed, long pending, long batches,
                        long retries, long filtered, long sampledOut) {

        /** The counters of a log without filters and sampling: {@code filtered} and {@code sampledOut} are 0. */
        public Stats(long accepted, long dropped, long written, long failed, long pending, long batches, long retries) {
            this(accepted, dropped, written, failed, pending, batches, retries, 0, 0);
        }
    }

    /**
     * The counters of one sink of a log ({@link SinkView#stats()}): every accepted event of the log
     * reaches every sink, which resolves it once: {@code accepted == written + failed + filtered +
     * sampledOut + pending}.
     *
     * @param accepted events taken into the ring (the log's {@link Stats#accepted()})
     * @param written events this sink committed
     * @param failed events this sink handed to its dead-letter handler
     * @param filtered events this sink's filter refused
     * @param sampledOut events this sink's sampling left out
     * @param pending accepted events this sink has not resolved yet
     * @param batches this sink's successful flushes
     * @param retries this sink's deliveries repeated after a retryable failure
     */
    public record SinkStats(long accepted, long written, long failed, long filtered, long sampledOut, long pending,
                            long batches, long retries) {
    }

    /**
     * Configures and starts an {@link EventLog}. Each value is checked when it is set; a bad one
     * throws {@link IllegalArgumentException} naming the setting, the rule and the value.
     */
    public static final class Builder<E> {

        private final Supplier<? extends E> factory;
        private final Settings<E> settings = new Settings<>();

        private Builder(Supplier<? extends E> factory) {
            this.factory = Objects.requireNonNull(factory, "factory");
        }

        /** Adds a sink with the log's settings; see {@link #sink(String, Sink, Consumer)}. */
        public Builder<E> sink(String name, Sink<? super E> sink) {
            return sink(name, sink, options -> { });
        }

        /**
         * Adds a sink named {@code name} (1 to 64 letters, digits, '.', '_' or '-'; unique in the log) with
         * a sink thread of its own: it reads the same ring as the other sinks at its own pace, with its own
         * batching, retries, dead letters, filter, sampling and counters. The ring is gated by the slowest
         * sink: one that is down holds its events in the ring while the others write, and the overflow
         * policy acts once it lags a whole ring behind. {@code options} starts from the log's settings
         * and runs when the log starts. Async mode only: sync mode takes one sink.
         */
        public Builder<E> sink(String name, Sink<? super E> sink, Consumer<SinkOptions<E>> options) {
            settings.addSink(name, Objects.requireNonNull(sink, "sink"), Objects.requireNonNull(options, "options"));
            return this;
        }

        /**
         * Keeps only a fraction {@code rate} in [0, 1] of the events of {@code type}, in every sink (a sink
         * can set its own with {@link SinkOptions#sample}); types without a rate are all kept. The others
         * are counted as sampled out. Decided on each sink thread, not on publish: nothing is added to the
         * publish path. By default each event is kept or left out on its own (a hash of its sequence: the
         * same choice in every sink of the log); {@link #sampleBy} keeps or leaves out a key's events
         * together. Key {@code ringlog.sample.<type>}.
         */
        public Builder<E> sample(String type, double rate) {
            settings.sample("sample." + type, type, rate);
            return this;
        }

        /**
         * Samples by a key of the event ({@code e -> e.actor()}): a key's events of a sampled type are all
         * kept or all left out, in every sink, log and run: the decision hashes the key's {@code hashCode}
         * (stable for strings). Called on the sink threads.
         */
        public Builder<E> sampleBy(Function<? super E, ?> key) {
            settings.sampleKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /** How sampling reads an event's type; needed for {@link #sample} unless events are {@link LogEvent}s ({@code type()}). */
        public Builder<E> eventType(Function<? super E, String> eventType) {
            settings.eventType = Objects.requireNonNull(eventType, "eventType");
            return this;
        }

        /** Names the log in its thread names and messages. Default {@code default}. Key {@code ringlog.name}. */
        public Builder<E> name(String name) {
            settings.name("name", name);
            return this;
        }

        /** Slots in the ring: a power of two in [64, 2^24]. Default 65,536. Key {@code ringlog.ringSize}. */
        public Builder<E> ringSize(int ringSize) {
            settings.ringSize("ringSize", ringSize);
            return this;
        }

        /** Most events per sink flush, in [1, ringSize]. Default 1,000 (or ringSize if smaller). Key {@code ringlog.maxBatchSize}. */
        public Builder<E> maxBatchSize(int maxBatchSize) {
            settings.maxBatchSize("maxBatchSize", maxBatchSize);
            return this;
        }

        /**
         * How long the sink thread may hold events back to build a bigger batch, in [0, 1m]. Default
         * 0: flush whenever the sink thread has caught up with the producers. Key {@code ringlog.linger}.
         */
        public Builder<E> linger(Duration linger) {
            settings.linger("linger", linger);
            return this;
        }

        /** What a publish does when the ring is full. Default {@link OverflowPolicy#DROP}. Key {@code ringlog.overflow}. */
        public Builder<E> overflow(OverflowPolicy overflow) {
            settings.overflow = Objects.requireNonNull(overflow, "overflow");
            return this;
        }

        /** How retryable sink failures are retried. Default backoff from 10 ms to 30 s, unlimited. */
        public Builder<E> retry(RetryPolicy retry) {
            settings.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /** Receives events that cannot be written. Default: a rate-limited warning through {@code System.Logger}. */
        public Builder<E> deadLetters(DeadLetterHandler<? super E> deadLetters) {
            settings.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
            return this;
        }

        /** How long {@code close()} waits for the backlog to be written, in [0, 1h]. Default 30 s. Key {@code ringlog.shutdownTimeout}. */
        public Builder<E> shutdownTimeout(Duration shutdownTimeout) {
            settings.shutdownTimeout("shutdownTimeout", shutdownTimeout);
            return this;
        }

        /** Asynchronous (default) or synchronous writes. Key {@code ringlog.mode}; environment {@code RINGLOG_MODE}. */
        public Builder<E> mode(Mode mode) {
            settings.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** How the idle sink thread waits. Default {@link WaitStrategy#SLEEP}. Key {@code ringlog.waitStrategy}. */
        public Builder<E> waitStrategy(WaitStrategy waitStrategy) {
            settings.waitStrategy = Objects.requireNonNull(waitStrategy, "waitStrategy");
            return this;
        }

        /** Creates the sink thread. Default: a daemon thread named {@code ringlog-<name>-sink}. */
        public Builder<E> threadFactory(ThreadFactory threadFactory) {
            settings.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        /** The time source for linger and shutdown deadlines. Default {@link Ticker#system()}. */
        public Builder<E> ticker(Ticker ticker) {
            settings.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** Where {@code publishDurable} futures are completed. Default {@code ForkJoinPool.commonPool()}. */
        public Builder<E> callbackExecutor(Executor callbackExecutor) {
            settings.callbackExecutor = Objects.requireNonNull(callbackExecutor, "callbackExecutor");
            return this;
        }

        /**
         * Whether {@code start()} registers the log in JMX as {@code dev.ringlog:type=EventLog,name=<name>}
         * ({@link EventLogMXBean}) and each sink as {@code dev.ringlog:type=EventLogSink,name=<name>,sink=<sink>}
         * ({@link EventLogSinkMXBean}); {@code close()} unregisters them. Default {@code true}.
         */
        public Builder<E> jmx(boolean jmx) {
            settings.jmx = jmx;
            return this;
        }

        /** Whether a JVM shutdown hook closes the log if it was not closed. Default {@code true}. */
        public Builder<E> shutdownHook(boolean shutdownHook) {
            settings.shutdownHook = shutdownHook;
            return this;
        }

        /**
         * Applies the {@code ringlog.*} keys of {@code config} (other keys are ignored, so system
         * properties or a whole application config can be passed). An unknown {@code ringlog.*} key or
         * a bad value throws {@link IllegalArgumentException} naming the key.
         */
        public Builder<E> configure(Map<String, String> config) {
            settings.configure(Objects.requireNonNull(config, "config"));
            return this;
        }

        /**
         * Puts a journal between the ring and the sink, in {@code directory} (created if missing), with
         * {@link SyncPolicy#PER_BATCH}: every event is appended to local disk before the sink sees it, and a
         * log started again on the same directory first replays what its sink had not committed (with
         * the same ids). For {@link LogEvent}s; other event types need {@link #journal(Path, SyncPolicy,
         * JournalCodec)}. Key {@code ringlog.journal.dir}. Not with {@link Mode#SYNC}.
         */
        public Builder<E> journal(Path directory) {
            settings.journalDir = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** {@link #journal(Path)} with a sync policy. Key {@code ringlog.journal.sync}: {@code none}, {@code batch} or a period. */
        public Builder<E> journal(Path directory, SyncPolicy sync) {
            settings.journalSync = Objects.requireNonNull(sync, "sync");
            return journal(directory);
        }

        /** {@link #journal(Path, SyncPolicy)} for any event type: {@code codec} writes and reads its events. */
        public Builder<E> journal(Path directory, SyncPolicy sync, JournalCodec<? super E> codec) {
            settings.journalCodec = Objects.requireNonNull(codec, "codec");
            return journal(directory, sync);
        }

        /**
         * The most bytes the journal keeps that the sink has not committed, in [1 MiB, 1 PiB]. When it is
         * full the journal waits for the sink; the ring fills behind it and the overflow policy decides
         * ({@link DropReason#JOURNAL_FULL}). Default 1 GiB. Key {@code ringlog.journal.maxBytes}.
         */
        public Builder<E> journalMaxBytes(long maxBytes) {
            settings.journalMaxBytes("journalMaxBytes", maxBytes);
            return this;
        }

        /** When {@code publishDurable} futures complete. Default {@link DurableAck#COMMIT}. Key {@code ringlog.journal.ack}. */
        public Builder<E> durableAck(DurableAck ack) {
            settings.durableAck = Objects.requireNonNull(ack, "ack");
            return this;
        }

        /** The settings collected so far; for tests that reach package-private knobs. */
        Settings<E> settings() {
            return settings;
        }

        /** The environment read for {@code RINGLOG_MODE}; for tests. */
        Builder<E> environment(Map<String, String> environment) {
            settings.environment = environment;
            return this;
        }

        /**
         * Validates the settings together, allocates the ring and starts the sink thread.
         *
         * @throws IllegalArgumentException if settings contradict each other ({@code maxBatchSize > ringSize}),
     *     or a sync log has several sinks
     * @throws IllegalStateException if no sink was added
         */
        public EventLog<E> start() {
            settings.validate();
            if (settings.journalDir != null && settings.resolvedMode() == Mode.SYNC) {
                throw new IllegalArgumentException("the journal (" + settings.journalDir + ") works with mode=async only:"
                        + " sync mode writes on the caller's thread, with nothing in between to journal");
            }
            if (settings.deadLetters == null) {
                settings.deadLetters = new LoggingDeadLetters(settings.name);
            }
            settings.resolveSinks();
            if (settings.resolvedMode() == Mode.SYNC) {
                if (settings.sinks.size() > 1) {
                    throw new IllegalArgumentException("ringlog[" + settings.name + "]: mode=sync writes to one sink on the"
                            + " caller's thread; this log has " + settings.sinks.size() + " sinks "
                            + settings.sinks.stream().map(s -> s.name).toList() + ": use async mode, or one sink");
                }
                return SyncEventLog.start(settings, factory);
            }
            return RingEventLog.start(settings, factory);
        }
    }
}
