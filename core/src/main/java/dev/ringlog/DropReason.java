package dev.ringlog;

/** Why a publish was refused: {@link EventLog#dropped(DropReason)} counts each reason apart. */
public enum DropReason {
    /** The ring was full and the overflow policy gave up (at once under {@code DROP}). */
    RING_FULL("ring full"),
    /** The log was closed, or was closing when the event was claimed. */
    CLOSED("log closed"),
    /** A thread that reads the ring has stopped (it died): a sink thread, or the journal thread that every sink waits behind; nothing would ever write the event. */
    SINK_STOPPED("sink thread stopped"),
    /** Published from inside the sink in sync mode, which would re-enter the sink in the middle of a batch. */
    FROM_SINK("published from inside the sink"),
    /**
     * The ring was full because the journal took no more: it held {@code journalMaxBytes} that some sink
     * had not committed, or its writes were failing (a full disk), and the overflow policy gave up.
     */
    JOURNAL_FULL("journal full");

    private final String text;

    DropReason(String text) {
        this.text = text;
    }

    /** The reason in words, for the exception of a refused {@code publishDurable}. */
    String text() {
        return text;
    }
}
