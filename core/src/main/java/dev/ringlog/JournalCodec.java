package dev.ringlog;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Writes an event to the journal and reads it back into a ring slot. {@link LogEvent} has one built
 * in; a log of another event type needs one to have a journal ({@link EventLog.Builder#journal(java.nio.file.Path,
 * SyncPolicy, JournalCodec)}).
 *
 * <p>{@link #write} is called on the journal thread only, {@link #read} on the thread that starts the
 * log (replay). Neither is on the publishing thread. Each record is framed and checksummed by the
 * journal: a codec writes only the event's fields.
 *
 * @param <E> the event type
 */
public interface JournalCodec<E> {

    /** Writes the fields of {@code event} that the sink needs. */
    void write(E event, DataOutput out) throws IOException;

    /**
     * Fills the slot {@code event} (as left by the ring's factory, or by an earlier event) from what
     * {@link #write} wrote, including any id the sink uses to recognise an event it already has.
     */
    void read(DataInput in, E event) throws IOException;
}
