package dev.ringlog;

/**
 * The JMX view of one sink of a running log ({@link EventLog#sinks()}), registered by {@code start()} as
 * {@code dev.ringlog:type=EventLogSink,name=<log name>,sink=<sink name>} beside the log's
 * {@link EventLogMXBean}, and unregistered by {@code close()}. Read on demand, never by the publish path.
 */
public interface EventLogSinkMXBean {

    /** {@link EventLog.SinkStats#accepted()}. */
    long getAccepted();

    /** {@link EventLog.SinkStats#written()}. */
    long getWritten();

    /** {@link EventLog.SinkStats#failed()}: dead-lettered by this sink. */
    long getFailed();

    /** {@link EventLog.SinkStats#filtered()}. */
    long getFiltered();

    /** {@link EventLog.SinkStats#sampledOut()}. */
    long getSampledOut();

    /** {@link EventLog.SinkStats#pending()}. */
    long getPending();

    /** {@link EventLog.SinkStats#batches()}. */
    long getBatches();

    /** {@link EventLog.SinkStats#retries()}. */
    long getRetries();

    /** {@link SinkHealth#state()} of this sink: {@code WRITING}, {@code RETRYING} or {@code STOPPED}. */
    String getSinkState();

    /** {@link SinkHealth#consecutiveFailures()} of this sink. */
    int getConsecutiveFailures();

    /** {@link SinkHealth#lastFailure()} of this sink, or {@code null}. */
    String getLastFailure();
}
