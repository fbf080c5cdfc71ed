package dev.ringlog.kafka;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The outcome of one record of the current attempt: completed by the producer's I/O thread (or, for a
 * failure the producer finds before sending, by {@code send} itself on the sink thread), read on the
 * sink thread after {@code producer.flush()}, whose wait for the record's batch orders the write
 * before the read. Volatile all the same: {@code send}'s own failures are read without a flush.
 */
final class Delivery implements Callback {

    final long id;
    private volatile boolean done;
    private volatile Exception failure;

    private Delivery(long id, boolean done) {
        this.id = id;
        this.done = done;
    }

    /** A record about to be sent. */
    static Delivery sending(long id) {
        return new Delivery(id, false);
    }

    /** A record the broker acknowledged in an earlier attempt: not sent again. */
    static Delivery acknowledgedBefore(long id) {
        return new Delivery(id, true);
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
        failure = exception;
        done = true;
    }

    boolean acknowledged() {
        return done && failure == null;
    }

    boolean done() {
        return done;
    }

    /** The producer's failure for this record, or {@code null} (acknowledged, or not done yet). */
    Exception failure() {
        return failure;
    }
}
