package dev.ringlog.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/**
 * The producer configuration of a {@link KafkaSink}: the user's properties checked against what the
 * sink relies on, with the sink's bounds as defaults. Every message names the key, the value and what
 * is allowed.
 */
final class ProducerSettings {

    /** Keys the sink sets itself; a user value is accepted only if it is the sink's own. */
    private static final Map<String, String> FIXED = Map.of(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");

    private ProducerSettings() {
    }

    /** Checks where records go. */
    static void checkTarget(String bootstrapServers, String topic) {
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must be host:port[,host:port...]: bootstrapServers='"
                    + bootstrapServers + "'");
        }
        try {
            Topic.validate(topic);
        } catch (InvalidTopicException e) {
            throw new IllegalArgumentException("topic must be a valid Kafka topic name (1 to 249 of [a-zA-Z0-9._-]): topic='"
                    + topic + "': " + e.getMessage(), e);
        }
    }

    /** The producer configuration: {@code properties} checked, over the sink's defaults and fixed keys. */
    static Map<String, Object> check(String bootstrapServers, Map<String, Object> properties) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (long) KafkaSink.DEFAULT_MAX_BLOCK_MS);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, KafkaSink.DEFAULT_REQUEST_TIMEOUT_MS);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, KafkaSink.DEFAULT_DELIVERY_TIMEOUT_MS);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, KafkaSink.DEFAULT_BUFFER_MEMORY);
        for (Map.Entry<String, Object> p : properties.entrySet()) {
            String key = p.getKey();
            Object value = p.getValue();
            if (!ProducerConfig.configNames().contains(key)) {
                throw new IllegalArgumentException("unknown Kafka producer property (see ProducerConfig): " + key + "=" + value);
            }
            switch (key) {
                case ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG ->
                        throw new IllegalArgumentException(key + " is set by the sink (the key is the event id, the value"
                                + " the builder's serializer): " + key + "=" + value);
                case ProducerConfig.TRANSACTIONAL_ID_CONFIG ->
                        throw new IllegalArgumentException(key + " is not supported (the sink acknowledges each batch with"
                                + " the idempotent producer, not in transactions): " + key + "=" + value);
                case ProducerConfig.ACKS_CONFIG -> {
                    String acks = String.valueOf(value).trim();
                    if (!acks.equals("all") && !acks.equals("-1")) {
                        throw new IllegalArgumentException("acks must be all (or -1): the sink counts an event written only"
                                + " once every in-sync replica has it: acks=" + value);
                    }
                }
                case ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG -> {
                    if (!String.valueOf(value).trim().equalsIgnoreCase("true")) {
                        throw new IllegalArgumentException("enable.idempotence must be true: the producer's own retries must"
                                + " not duplicate records: enable.idempotence=" + value);
                    }
                }
                case ProducerConfig.MAX_BLOCK_MS_CONFIG -> config.put(key, bounded(key, value, 100, 300_000));
                case ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG -> config.put(key, (int) bounded(key, value, 100, 300_000));
                case ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG -> config.put(key, (int) bounded(key, value, 1_000, 3_600_000));
                case ProducerConfig.BUFFER_MEMORY_CONFIG -> config.put(key, bounded(key, value, 65_536, 1L << 30));
                default -> config.put(key, value);
            }
        }
        config.putAll(FIXED);
        return config;
    }

    /** {@code value} as a whole number in {@code [min, max]}. */
    private static long bounded(String key, Object value, long min, long max) {
        long n;
        try {
            n = value instanceof Number number ? number.longValue() : Long.parseLong(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number in [" + min + ", " + max + "]: " + key + "=" + value, e);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "]: " + key + "=" + value);
        }
        return n;
    }
}
