package dev.ringlog;

/**
 * One sink of a log, from {@link EventLog#sinks()}: its name, counters, health and timings, read on
 * demand without a lock (each value exact, a snapshot of several read while events move).
 */
public final class SinkView {

    private final EventLog<?> log;
    private final int index;

    SinkView(EventLog<?> log, int index) {
        this.log = log;
        this.index = index;
    }

    /** The name given to {@code sink(name, ...)}; {@code main} for the sink of {@code builder(factory, sink)}. */
    public String name() {
        return log.sinks[index].sinkName;
    }

    /** This sink's counters: {@code accepted == written + failed + filtered + sampledOut + pending}. */
    public EventLog.SinkStats stats() {
        return log.stats(index);
    }

    /** This sink's health: writing, retrying (since when, how often, why, next attempt) or stopped. */
    public SinkHealth health() {
        return log.health(index);
    }

    /** Events per committed delivery to this sink. */
    public Distribution batchSizes() {
        return log.sinks[index].monitor().batchSizes();
    }

    /** Nanoseconds each committed delivery to this sink took. */
    public Distribution commitNanos() {
        return log.sinks[index].monitor().commitNanos();
    }

    /** Nanoseconds from {@code publishDurable} to this sink's commit of the event. */
    public Distribution durableAckNanos() {
        return log.sinks[index].monitor().durableAckNanos();
    }

    @Override
    public String toString() {
        return "Sink[" + name() + ", " + stats() + "]";
    }
}
