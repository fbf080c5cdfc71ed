package dev.ringlog.micrometer;

import dev.ringlog.DropReason;
import dev.ringlog.EventLog;
import dev.ringlog.EventLog.JournalStats;
import dev.ringlog.SinkState;
import dev.ringlog.SinkView;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Binds one {@link EventLog}'s counters, ring and sink health to a Micrometer registry: every meter is
 * named {@code ringlog.*} and tagged {@code name=<log name>}.
 *
 * <pre>{@code
 * new RinglogMetrics(log).bindTo(registry);
 * }</pre>
 *
 * <p>Every meter reads the log on demand, on whichever thread scrapes or publishes the registry: nothing
 * is recorded on {@code publish} or on the sink thread beyond what the log counts anyway, and a read
 * costs a few volatile loads and one small snapshot object. The counters are {@code FunctionCounter}s
 * and a {@code FunctionTimer} over the log's cumulative totals, so they are exact and monotonic; the
 * rest are gauges.
 *
 * <ul>
 *   <li>{@code ringlog.events} (counter, tag {@code result}): {@code accepted} publish calls taken
 *       into the ring; {@code written} events the sink committed; {@code failed} events dead-lettered;
 *       {@code filtered} and {@code sampled_out} events no sink took (filters, sampling).
 *       {@code accepted = written + failed + filtered + sampled_out + pending}: the values of
 *       {@code result} are the two sides of that identity, not a partition, so do not sum across them.
 *       With several sinks these are the log's counts ({@link EventLog.Stats}: an event counts once every
 *       sink has resolved it; written by some sink and failed by none is written).</li>
 *   <li>{@code ringlog.events.dropped} (counter, tag {@code reason}, one per {@link DropReason}:
 *       {@code ring_full}, {@code closed}, {@code sink_stopped}, {@code from_sink}, {@code journal_full}):
 *       publish calls refused.</li>
 *   <li>{@code ringlog.events.pending} (gauge): accepted events not yet written or failed.</li>
 *   <li>{@code ringlog.retries} (counter): deliveries repeated after a retryable sink failure.</li>
 *   <li>{@code ringlog.batches} and {@code ringlog.batches.events} (counters): committed deliveries and
 *       the events they held; their rates' ratio is the mean batch size over any window.
 *       {@code ringlog.batch.size.max} (gauge): the largest batch since the log started.</li>
 *   <li>{@code ringlog.commit} (function timer): how long each committed delivery took (the sink's
 *       adds and its flush); {@code ringlog.commit.max} (time gauge): the longest since the log started.</li>
 *   <li>{@code ringlog.durable.ack} (function timer): time from {@code publishDurable} to the commit of
 *       its event, for every acknowledged durable event.</li>
 *   <li>{@code ringlog.ring.capacity}, {@code ringlog.ring.remaining} (gauges): slots in the ring, and
 *       free now; at 0 the overflow policy decides.</li>
 *   <li>{@code ringlog.journal.*}, the journal's counters ({@link EventLog.JournalStats}; all 0 without a
 *       journal): {@code records} appended, {@code syncs}, {@code replayed} at start, {@code damaged} records
 *       and {@code cut} segments found at replay, {@code full.waits}, {@code write.failures} (a full disk:
 *       alert on its rate), {@code codec.failures} (counters); {@code ringlog.journal.bytes} (gauge): bytes on
 *       disk that some sink has not committed.</li>
 *   <li>{@code ringlog.sink.state} (gauge, tag {@code state} = {@code writing}, {@code retrying},
 *       {@code stopped}): 1 for the sink's current state, 0 for the others, as resilience4j reports a
 *       circuit breaker's state. {@code ringlog.sink.consecutive.failures} (gauge): failed attempts
 *       since the last success. {@code ringlog.sink.failing} (time gauge): how long the sink has been
 *       failing, 0 while it writes.</li>
 * </ul>
 *
 * <p>A log with several sinks also gets, per sink, meters tagged {@code sink=<sink name>} as well as
 * {@code name} (under names of their own, {@code ringlog.sinks.*}, so that no meter name has two sets
 * of tag keys, which Prometheus refuses):
 * <ul>
 *   <li>{@code ringlog.sinks.events} (counter, tag {@code result} = {@code written}, {@code failed},
 *       {@code filtered}, {@code sampled_out}): the sink's resolved events; with
 *       {@code ringlog.sinks.events.pending} (gauge) they add up to the log's accepted events.</li>
 *   <li>{@code ringlog.sinks.batches}, {@code ringlog.sinks.retries} (counters),
 *       {@code ringlog.sinks.commit} (function timer): the sink's deliveries.</li>
 *   <li>{@code ringlog.sinks.state} (gauge, tag {@code state}) and
 *       {@code ringlog.sinks.consecutive.failures} (gauge): the sink's health.</li>
 * </ul>
 * The log-level {@code ringlog.batches}, {@code ringlog.retries} and {@code ringlog.commit} then sum the
 * sinks, and {@code ringlog.sink.*} reports the worst sink ({@link EventLog#sinkHealth()}).
 *
 * <p>A batch-size {@code DistributionSummary} is not offered: it can only be fed value by value, which
 * would put a Micrometer call on the sink thread; the counter pair gives the same windowed mean from
 * the log's own totals. As Micrometer's own binders do, the meters hold the log weakly: bind a log
 * that the application keeps (it must, to publish); once a log is garbage collected its gauges read
 * {@code NaN} and its counters keep their last value.
 * A closed log's meters stay registered and report its final counts and {@code stopped}.
 */
public final class RinglogMetrics implements MeterBinder {

    private final EventLog<?> log;
    private final Tags tags;

    /** Meters for {@code log}, tagged {@code name=<log name>}; {@link #bindTo} registers them. */
    public RinglogMetrics(EventLog<?> log) {
        this(log, Tags.empty());
    }

    /**
     * Meters for {@code log} tagged with {@code tags} as well (an application or instance tag); the tag
     * {@code name} is always the log's name.
     */
    public RinglogMetrics(EventLog<?> log, Iterable<Tag> tags) {
        this.log = Objects.requireNonNull(log, "log");
        this.tags = Tags.concat(Objects.requireNonNull(tags, "tags"), "name", log.name());
    }

    /** Registers the meters; binding the same log to a registry twice returns the meters already there. */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        events(registry, "accepted", l -> l.stats().accepted());
        events(registry, "written", l -> l.stats().written());
        events(registry, "failed", l -> l.stats().failed());
        events(registry, "filtered", l -> l.stats().filtered());
        events(registry, "sampled_out", l -> l.stats().sampledOut());
        for (DropReason reason : DropReason.values()) {
            FunctionCounter.builder("ringlog.events.dropped", log, l -> l.dropped(reason))
                    .tags(tags).tag("reason", reason.name().toLowerCase(Locale.ROOT))
                    .description("Publish calls refused, by reason")
                    .baseUnit("events")
                    .register(registry);
        }
        gauge(registry, "ringlog.events.pending", "events", "Accepted events not yet written or failed",
                l -> l.stats().pending());
        FunctionCounter.builder("ringlog.retries", log, l -> l.stats().retries())
                .tags(tags).description("Deliveries repeated after a retryable sink failure")
                .baseUnit("retries")
                .register(registry);

        FunctionCounter.builder("ringlog.batches", log, l -> l.stats().batches())
                .tags(tags).description("Deliveries the sink committed")
                .baseUnit("batches")
                .register(registry);
        FunctionCounter.builder("ringlog.batches.events", log, l -> l.batchSizes().total())
                .tags(tags).description("Events in the deliveries the sink committed: over ringlog.batches, the mean batch size")
                .baseUnit("events")
                .register(registry);
        gauge(registry, "ringlog.batch.size.max", "events", "The largest committed delivery since the log started",
                l -> l.batchSizes().max());
        FunctionTimer.builder("ringlog.commit", log, l -> l.commitNanos().count(), l -> l.commitNanos().total(),
                        TimeUnit.NANOSECONDS)
                .tags(tags).description("Time the sink took per committed delivery (its adds and its flush)")
                .register(registry);
        TimeGauge.builder("ringlog.commit.max", log, TimeUnit.NANOSECONDS, l -> l.commitNanos().max())
                .tags(tags).description("The longest committed delivery since the log started")
                .register(registry);
        FunctionTimer.builder("ringlog.durable.ack", log, l -> l.durableAckNanos().count(),
                        l -> l.durableAckNanos().total(), TimeUnit.NANOSECONDS)
                .tags(tags).description("Time from publishDurable to the commit of its event")
                .register(registry);

        gauge(registry, "ringlog.ring.capacity", "slots", "Slots in the ring", EventLog::ringCapacity);
        gauge(registry, "ringlog.ring.remaining", "slots", "Free slots in the ring; at 0 the overflow policy decides",
                EventLog::ringRemaining);

        journal(registry, "ringlog.journal.records", "events", "Events appended to the journal", JournalStats::records);
        gauge(registry, "ringlog.journal.bytes", "bytes", "Journal bytes on disk that some sink has not committed",
                l -> l.journalStats().bytes());
        journal(registry, "ringlog.journal.syncs", "syncs", "Syncs of the journal to the storage device", JournalStats::syncs);
        journal(registry, "ringlog.journal.replayed", "events", "Events replayed from the journal at start", JournalStats::replayed);
        journal(registry, "ringlog.journal.damaged", "records", "Journal records skipped at replay: their checksum failed",
                JournalStats::damaged);
        journal(registry, "ringlog.journal.cut", "segments", "Journal segments cut short at replay (a torn tail)", JournalStats::cut);
        journal(registry, "ringlog.journal.full.waits", "waits", "Times the journal was full and waited for the sinks",
                JournalStats::fullWaits);
        journal(registry, "ringlog.journal.write.failures", "failures",
                "Failed journal writes, syncs or checkpoints (a full disk), each retried", JournalStats::writeFailures);
        journal(registry, "ringlog.journal.codec.failures", "events",
                "Events the codec could not journal: they went to the sinks without it", JournalStats::codecFailures);

        for (SinkState state : SinkState.values()) {
            Gauge.builder("ringlog.sink.state", log, l -> l.sinkHealth().state() == state ? 1 : 0)
                    .tags(tags).tag("state", state.name().toLowerCase(Locale.ROOT))
                    .description("1 for the sink's current state (writing, retrying, stopped), 0 for the others")
                    .register(registry);
        }
        gauge(registry, "ringlog.sink.consecutive.failures", "failures", "Failed attempts since the last success",
                l -> l.sinkHealth().consecutiveFailures());
        TimeGauge.builder("ringlog.sink.failing", log, TimeUnit.MILLISECONDS, RinglogMetrics::failingMillis)
                .tags(tags).description("How long the sink has been failing; 0 while it writes")
                .register(registry);
        if (log.sinks().size() > 1) {
            for (SinkView sink : log.sinks()) {
                bindSink(registry, sink);
            }
        }
    }

    /** The meters of one sink of a log with several, tagged {@code sink=<name>}. They hold the sink's view weakly; the log holds its views. */
    private void bindSink(MeterRegistry registry, SinkView sink) {
        Tags sinkTags = tags.and("sink", sink.name());
        sinkEvents(registry, sinkTags, sink, "written", s -> s.stats().written());
        sinkEvents(registry, sinkTags, sink, "failed", s -> s.stats().failed());
        sinkEvents(registry, sinkTags, sink, "filtered", s -> s.stats().filtered());
        sinkEvents(registry, sinkTags, sink, "sampled_out", s -> s.stats().sampledOut());
        Gauge.builder("ringlog.sinks.events.pending", sink, s -> s.stats().pending()).tags(sinkTags)
                .description("Accepted events this sink has not resolved yet").baseUnit("events").register(registry);
        FunctionCounter.builder("ringlog.sinks.batches", sink, s -> s.stats().batches()).tags(sinkTags)
                .description("Deliveries this sink committed").baseUnit("batches").register(registry);
        FunctionCounter.builder("ringlog.sinks.retries", sink, s -> s.stats().retries()).tags(sinkTags)
                .description("Deliveries this sink repeated after a retryable failure").baseUnit("retries").register(registry);
        FunctionTimer.builder("ringlog.sinks.commit", sink, s -> s.commitNanos().count(), s -> s.commitNanos().total(),
                        TimeUnit.NANOSECONDS)
                .tags(sinkTags).description("Time this sink took per committed delivery").register(registry);
        for (SinkState state : SinkState.values()) {
            Gauge.builder("ringlog.sinks.state", sink, s -> s.health().state() == state ? 1 : 0)
                    .tags(sinkTags).tag("state", state.name().toLowerCase(Locale.ROOT))
                    .description("1 for this sink's current state (writing, retrying, stopped), 0 for the others")
                    .register(registry);
        }
        Gauge.builder("ringlog.sinks.consecutive.failures", sink, s -> s.health().consecutiveFailures()).tags(sinkTags)
                .description("This sink's failed attempts since its last success").baseUnit("failures").register(registry);
    }

    private static void sinkEvents(MeterRegistry registry, Tags sinkTags, SinkView sink, String result,
                                   ToDoubleFunction<SinkView> count) {
        FunctionCounter.builder("ringlog.sinks.events", sink, count)
                .tags(sinkTags).tag("result", result)
                .description("Events this sink wrote, failed (dead-lettered), filtered out or sampled out")
                .baseUnit("events")
                .register(registry);
    }

    private void events(MeterRegistry registry, String result, ToDoubleFunction<EventLog<?>> count) {
        // One description for the three: registries such as Prometheus keep one per meter name.
        FunctionCounter.builder("ringlog.events", log, count)
                .tags(tags).tag("result", result)
                .description("Events accepted into the ring; written, failed (dead-lettered), filtered or sampled out")
                .baseUnit("events")
                .register(registry);
    }

    private void journal(MeterRegistry registry, String name, String unit, String description,
                         ToDoubleFunction<JournalStats> count) {
        FunctionCounter.builder(name, log, l -> count.applyAsDouble(l.journalStats()))
                .tags(tags).description(description).baseUnit(unit).register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String unit, String description,
                       ToDoubleFunction<EventLog<?>> value) {
        Gauge.builder(name, log, value).tags(tags).description(description).baseUnit(unit).register(registry);
    }

    private static double failingMillis(EventLog<?> log) {
        Instant since = log.sinkHealth().failingSince();
        return since == null ? 0 : Math.max(0, System.currentTimeMillis() - since.toEpochMilli());
    }
}
