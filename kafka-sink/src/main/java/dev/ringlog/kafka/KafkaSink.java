package dev.ringlog.kafka;

import dev.ringlog.LogEvent;
import dev.ringlog.Sink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A {@link Sink} that sends each event to a Kafka topic as one record, and whose {@link #flush}
 * returns only once the broker has acknowledged every record of the batch.
 *
 * <pre>{@code
 * KafkaSink<LogEvent> sink = KafkaSink.forLogEvents("kafka-1:9092,kafka-2:9092", "events").build();
 * EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink).name("events").start();
 * }</pre>
 *
 * <p><b>Records.</b> The key is the event's id (8 bytes, big-endian: Kafka's {@code LongSerializer};
 * read it with {@code LongDeserializer}), so a consumer can drop a duplicate by key, and records are
 * spread over the partitions by it. The value is the {@link LogEvent} as JSON ({@link #forLogEvents}) or
 * what your serializer makes of your event ({@link #builder}).
 *
 * <p><b>Delivery.</b> The producer is idempotent with {@code acks=all} (both enforced): a record the
 * producer retries inside its {@code delivery.timeout.ms} is written once. {@link #add} serializes the
 * event and hands the record to the producer; {@link #flush} makes the producer send what it holds and
 * waits until each record is acknowledged or has failed, which takes at most {@code delivery.timeout.ms}.
 * Called on the sink thread only.
 *
 * <p><b>Where events wait.</b> The producer holds at most one batch of the log (the sink waits for each
 * batch before the engine adds the next), so the log's ring, not the producer's buffer, is where
 * events wait while Kafka is slow or down, and the log's overflow policy is what acts when it is full.
 * Each blocking call of the producer is bounded by the settings this sink gives it unless you set
 * them (each must stay in its range): {@code max.block.ms} {@value #DEFAULT_MAX_BLOCK_MS} (in
 * {@code add}: waiting for the topic's metadata, or for room in the buffer), {@code request.timeout.ms}
 * {@value #DEFAULT_REQUEST_TIMEOUT_MS}, {@code delivery.timeout.ms} {@value #DEFAULT_DELIVERY_TIMEOUT_MS}
 * (in {@code flush}), {@code buffer.memory} {@value #DEFAULT_BUFFER_MEMORY} bytes (room for a batch of
 * the log; a larger batch waits in {@code add} for records to be sent).
 *
 * <p><b>Retries.</b> Two layers, one inside the other: the producer retries a request on its own, with
 * the same sequence numbers (so without duplicates), until {@code delivery.timeout.ms} has passed since
 * the record was handed to it; then the record fails with a {@link TimeoutException}, which is
 * retryable, and the log's {@code RetryPolicy} takes over: it waits its backoff and adds the events
 * again. Records of the batch the broker had already acknowledged are not sent again (the sink
 * remembers them); the others are sent as new records. A duplicate is then possible only for a record
 * whose write the broker made but whose acknowledgement did not arrive within {@code
 * delivery.timeout.ms}: the consumer finds it by key. A longer {@code delivery.timeout.ms} makes that
 * rarer, and makes each flush (and {@code close}) wait longer for a broker that is down.
 *
 * <p><b>Failures</b> ({@link #isRetryable}): Kafka's retriable exceptions (a leader moving, the broker
 * unreachable, not enough replicas in sync, a timeout) are retried as above; a record too large for the
 * broker or the producer ({@code RecordTooLargeException}) and an event the serializer cannot serialize
 * are that event's fault: the engine dead-letters it and delivers the rest of its batch; any other
 * answer (the topic not authorized, an invalid topic) is not retried: each event ends in the dead-letter
 * handler with the cause, one failed send per event. Configuration the sink can check without a broker
 * fails {@link Builder#build()}.
 *
 * <p>A topic that does not exist (and that the broker does not create) is retryable: the producer
 * waits {@code max.block.ms} for its metadata, and the log retries until it is created.
 *
 * @param <E> the event type
 */
public final class KafkaSink<E> implements Sink<E> {

    /** The sink's {@code max.block.ms} unless set: the longest {@code add} waits for metadata or buffer room. */
    public static final int DEFAULT_MAX_BLOCK_MS = 10_000;

    /** The sink's {@code request.timeout.ms} unless set. */
    public static final int DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

    /** The sink's {@code delivery.timeout.ms} unless set: the longest a record is retried by the producer. */
    public static final int DEFAULT_DELIVERY_TIMEOUT_MS = 30_000;

    /** The sink's {@code buffer.memory} unless set, in bytes. */
    public static final long DEFAULT_BUFFER_MEMORY = 16L << 20;

    private final KafkaProducer<Long, byte[]> producer;
    private final String topic;
    private final ToLongFunction<? super E> ids;
    private final Serializer<? super E> values;
    private final String description;

    /** The records of the current attempt, in the order added. */
    private final List<Delivery> attempt = new ArrayList<>();
    private final Redelivery redelivery = new Redelivery();

    private KafkaSink(KafkaProducer<Long, byte[]> producer, String topic, ToLongFunction<? super E> ids,
                      Serializer<? super E> values, String description) {
        this.producer = producer;
        this.topic = topic;
        this.ids = ids;
        this.values = values;
        this.description = description;
    }

    /**
     * A sink for the standard {@link LogEvent}: each event as a JSON object
     * {@code {"id":..,"timestamp":..,"type":"..","actor":"..","payload":".."}} (UTF-8; the timestamp in
     * microseconds since the epoch; the payload as a JSON string), keyed by its id.
     *
     * @param bootstrapServers Kafka's {@code bootstrap.servers}: {@code host:port[,host:port...]}
     * @param topic the topic every record goes to
     * @throws IllegalArgumentException if {@code bootstrapServers} is blank or {@code topic} is not a valid
     *     topic name
     */
    public static Builder<LogEvent> forLogEvents(String bootstrapServers, String topic) {
        return new Builder<>(bootstrapServers, topic, LogEvent::id, new LogEventJson());
    }

    /**
     * A sink for your own events.
     *
     * @param id the event's unique id, the record's key: what a consumer de-duplicates by, and what the
     *     sink recognises an event by when the engine adds it again (it must be unique among the events
     *     of the log's ring)
     * @param serializer makes the record's value from the event, on the sink thread (the event is a ring
     *     slot: read it there, keep nothing); an exception it throws dead-letters that event
     * @throws IllegalArgumentException if {@code bootstrapServers} is blank or {@code topic} is not a valid
     *     topic name
     */
    public static <E> Builder<E> builder(String bootstrapServers, String topic, ToLongFunction<? super E> id,
                                         Serializer<? super E> serializer) {
        return new Builder<>(bootstrapServers, topic, id, serializer);
    }

    /**
     * Serializes the event and hands its record to the producer; skips an event whose record the broker
     * acknowledged in a failed attempt. Called on the sink thread only. Waits at most
     * {@code max.block.ms} (for the topic's metadata or for room in the buffer).
     *
     * @throws Exception the serializer's failure (as a {@link SerializationException}) or the
     *     producer's, after waiting for the records of this attempt already sent, whose outcome it remembers
     */
    @Override
    public void add(E event) throws Exception {
        long id = ids.applyAsLong(event);
        if (redelivery.acknowledgedBefore(id)) {
            attempt.add(Delivery.acknowledgedBefore(id));
            return;
        }
        byte[] value;
        try {
            value = values.serialize(topic, event);
        } catch (RuntimeException e) {
            throw abandonAttempt(e instanceof SerializationException ? e
                    : new SerializationException("ringlog: " + description + ": the serializer threw for the event with id " + id, e));
        }
        Delivery delivery = Delivery.sending(id);
        attempt.add(delivery);
        try {
            producer.send(new ProducerRecord<>(topic, null, id, value), delivery);
        } catch (RuntimeException e) {
            throw abandonAttempt(e);
        }
        Exception refused = delivery.failure(); // what the producer finds before sending (no metadata, too large) completes the record at once
        if (refused != null) {
            throw abandonAttempt(refused);
        }
    }

    /**
     * Sends what the producer holds and waits until the broker has acknowledged every record added
     * since the last flush, or until they fail: at most {@code delivery.timeout.ms}. Called on the sink
     * thread only.
     *
     * @throws Exception the failure of a record: one that is not retryable if any (the engine then
     *     narrows the batch down to its culprits), else a retryable one; the sink remembers which records
     *     were acknowledged, so that they are not sent again
     */
    @Override
    public void flush() throws Exception {
        if (attempt.isEmpty()) {
            return;
        }
        try {
            producer.flush();
        } catch (RuntimeException e) {
            throw abandonAttempt(e);
        }
        Exception failure = null;
        for (Delivery d : attempt) {
            Exception f = d.done() ? d.failure()
                    : new TimeoutException("ringlog: " + description + ": record " + d.id + " not acknowledged after flush");
            if (f != null && (failure == null || (isRetryable(failure) && !isRetryable(f)))) {
                failure = f;
            }
        }
        if (failure != null) {
            throw abandonAttempt(failure);
        }
        attempt.clear();
    }

    /**
     * Kafka's retriable exceptions ({@link RetriableException}: timeouts, the broker unreachable or not
     * the leader, not enough replicas), an interrupted wait, and a {@code KafkaException} caused by
     * one of those are retryable; everything else is not (see the class comment). Called on the sink
     * thread only.
     */
    @Override
    public boolean isRetryable(Throwable failure) {
        if (failure instanceof RetriableException || failure instanceof InterruptException) {
            return true;
        }
        return failure.getClass() == KafkaException.class && failure.getCause() != null && isRetryable(failure.getCause());
    }

    /**
     * Closes the producer without waiting for what it still holds. Called once, on the sink thread.
     * After the engine's last successful flush it holds nothing; after {@code close()} of the log gave
     * up on a batch (the broker down), what it holds belongs to events that stay counted as pending:
     * the producer fails those records instead of writing them later, behind the log's back.
     */
    @Override
    public void close() {
        producer.close(Duration.ZERO);
    }

    /**
     * How many records this sink sent a second time because the attempt that first sent them ended
     * without their acknowledgement (a broker restart, {@code delivery.timeout.ms} passed): an upper bound
     * on the duplicates it may have written, which consumers can drop by the record key (the event id).
     * Records acknowledged in a failed attempt are never sent again. Safe to read from any thread.
     */
    public long resentRecords() {
        return redelivery.resent();
    }

    @Override
    public String toString() {
        return "KafkaSink[" + description + "]";
    }

    /**
     * Ends a failed attempt: waits for the records already sent (at most {@code delivery.timeout.ms}),
     * remembers which were acknowledged, and returns {@code failure} for the caller to throw.
     */
    private Exception abandonAttempt(Exception failure) {
        try {
            producer.flush();
        } catch (RuntimeException e) {
            failure.addSuppressed(e); // interrupted (close): what is not known acknowledged is sent again
        }
        redelivery.remember(attempt);
        attempt.clear();
        return failure;
    }

    /** Configures a {@link KafkaSink}; {@link #build()} checks everything it can without a broker. */
    public static final class Builder<E> {

        private final String bootstrapServers;
        private final String topic;
        private final ToLongFunction<? super E> ids;
        private final Serializer<? super E> serializer;
        private final Map<String, Object> properties = new HashMap<>();

        private Builder(String bootstrapServers, String topic, ToLongFunction<? super E> ids, Serializer<? super E> serializer) {
            this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            this.topic = Objects.requireNonNull(topic, "topic");
            this.ids = Objects.requireNonNull(ids, "id");
            this.serializer = Objects.requireNonNull(serializer, "serializer");
            ProducerSettings.checkTarget(bootstrapServers, topic);
        }

        /**
         * Sets a producer property ({@code ProducerConfig}: {@code compression.type}, {@code linger.ms},
         * {@code batch.size}, security settings...). Checked by {@link #build()}: an unknown key fails,
         * and so do the keys the sink owns ({@code acks}, {@code enable.idempotence},
         * {@code key.serializer}, {@code value.serializer}, {@code transactional.id}) unless set to
         * what the sink sets, and the bounded ones outside their range (see {@link #build()}).
         */
        public Builder<E> property(String key, Object value) {
            properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
            return this;
        }

        /**
         * Checks the configuration and creates the producer, which connects in the background: a broker
         * that does not answer yet is not an error (the first writes wait {@code max.block.ms} each and are
         * retried by the log until one answers).
         *
         * @throws IllegalArgumentException naming the key, the value and what is allowed, for: an unknown
         *     property; {@code acks} other than {@code all}/{@code -1}; {@code enable.idempotence} other
         *     than {@code true}; {@code key.serializer}, {@code value.serializer} or {@code transactional.id}
         *     set; {@code max.block.ms} outside [100, 300000], {@code request.timeout.ms} outside [100,
         *     300000], {@code delivery.timeout.ms} outside [1000, 3600000], {@code buffer.memory} outside
         *     [65536, 1073741824]; anything the Kafka producer rejects (its message
         *     names the key and the value: a bad number, {@code delivery.timeout.ms} shorter than
         *     {@code linger.ms + request.timeout.ms}, no resolvable bootstrap server)
         */
        public KafkaSink<E> build() {
            Map<String, Object> config = ProducerSettings.check(bootstrapServers, properties);
            KafkaProducer<Long, byte[]> producer;
            try {
                producer = new KafkaProducer<>(config, new LongSerializer(), new ByteArraySerializer());
            } catch (KafkaException e) {
                throw new IllegalArgumentException("ringlog: the Kafka producer rejected its configuration: "
                        + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"), e);
            }
            return new KafkaSink<>(producer, topic, ids, serializer, "topic " + topic + " at " + bootstrapServers);
        }
    }
}
