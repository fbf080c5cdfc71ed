package dev.ringlog;

/**
 * The JMX view of one running log, registered by {@code start()} as
 * {@code dev.ringlog:type=EventLog,name=<log name>} and unregistered by {@code close()}. Read-only;
 * each attribute is read on demand from the log's counters, never by the publish path. With several
 * sinks the counts are the log's ({@link EventLog.Stats}: an event counts once every sink has resolved
 * it) and the sink attributes are those of the worst sink ({@link EventLog#sinkHealth()}); each sink has
 * a bean of its own, {@link EventLogSinkMXBean}.
 */
public interface EventLogMXBean {

    /** {@link EventLog.Stats#accepted()}. */
    long getAccepted();

    /** {@link EventLog.Stats#dropped()}: every reason. */
    long getDropped();

    /** Drops because the ring was full ({@link DropReason#RING_FULL}). */
    long getDroppedRingFull();

    /** Drops because the log was closed ({@link DropReason#CLOSED}). */
    long getDroppedClosed();

    /** Drops because the sink thread had stopped ({@link DropReason#SINK_STOPPED}). */
    long getDroppedSinkStopped();

    /** Drops of publishes from inside the sink in sync mode ({@link DropReason#FROM_SINK}). */
    long getDroppedFromSink();

    /** Drops because the journal took no more ({@link DropReason#JOURNAL_FULL}). */
    long getDroppedJournalFull();

    /** {@link EventLog.Stats#written()}. */
    long getWritten();

    /** {@link EventLog.Stats#failed()}: dead-lettered. */
    long getFailed();

    /** {@link EventLog.Stats#pending()}. */
    long getPending();

    /** {@link EventLog.Stats#filtered()}: accepted events no sink took, every sink's filter refusing them. */
    long getFiltered();

    /** {@link EventLog.Stats#sampledOut()}: accepted events no sink took, some sink sampling them out. */
    long getSampledOut();

    /** {@link EventLog.Stats#batches()}. */
    long getBatches();

    /** {@link EventLog.Stats#retries()}. */
    long getRetries();

    /** {@link EventLog#ringCapacity()}. */
    int getRingCapacity();

    /** {@link EventLog#ringRemaining()}. */
    long getRingRemaining();

    /** {@link SinkHealth#state()}: {@code WRITING}, {@code RETRYING} or {@code STOPPED}. */
    String getSinkState();

    /** {@link SinkHealth#consecutiveFailures()}. */
    int getConsecutiveFailures();

    /** {@link SinkHealth#failingSince()} in ISO-8601, or {@code null} while writing. */
    String getFailingSince();

    /** {@link SinkHealth#lastFailure()}, or {@code null}. */
    String getLastFailure();

    /** {@link SinkHealth#nextAttempt()} in ISO-8601, or {@code null} unless retrying. */
    String getNextAttempt();

    /** Mean events per committed delivery ({@link EventLog#batchSizes()}). */
    double getBatchSizeMean();

    /** Mean milliseconds per committed delivery ({@link EventLog#commitNanos()}). */
    double getCommitMillisMean();

    /** Longest committed delivery in milliseconds. */
    double getCommitMillisMax();

    /** Mean milliseconds from {@code publishDurable} to the commit ({@link EventLog#durableAckNanos()}). */
    double getDurableAckMillisMean();

    // The journal's counters (EventLog.JournalStats), all 0 without a journal.

    /** {@link EventLog.JournalStats#records()}: events appended to the journal. */
    long getJournalRecords();

    /** {@link EventLog.JournalStats#bytes()}: bytes on disk not yet committed by every sink. */
    long getJournalBytes();

    /** {@link EventLog.JournalStats#syncs()}. */
    long getJournalSyncs();

    /** {@link EventLog.JournalStats#replayed()}: events replayed at start. */
    long getJournalReplayed();

    /** {@link EventLog.JournalStats#damaged()}: records skipped at replay, their checksum failed. */
    long getJournalDamaged();

    /** {@link EventLog.JournalStats#cut()}: segments cut short at replay (a torn tail). */
    long getJournalCut();

    /** {@link EventLog.JournalStats#fullWaits()}. */
    long getJournalFullWaits();

    /** {@link EventLog.JournalStats#writeFailures()}: failed writes, syncs or checkpoints (a full disk), each retried. */
    long getJournalWriteFailures();

    /** {@link EventLog.JournalStats#codecFailures()}: events that went to the sinks without being journalled. */
    long getJournalCodecFailures();
}
