package dev.ringlog.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringlog.LogEvent;
import org.junit.jupiter.api.Test;

/** Configuration the sink can check without a broker fails {@code build()}, naming the key, the value and the rule. */
class KafkaSinkConfigTest {

    /** Nothing listens here: build() must not need a broker. */
    private static final String NOWHERE = "127.0.0.1:1";

    private static String refused(KafkaSink.Builder<LogEvent> builder) {
        return assertThrows(IllegalArgumentException.class, builder::build).getMessage();
    }

    private static KafkaSink.Builder<LogEvent> with(String key, Object value) {
        return KafkaSink.forLogEvents(NOWHERE, "events").property(key, value);
    }

    @Test
    void buildsWithoutABrokerAndClosesInBoundedTime() {
        KafkaSink<LogEvent> sink = KafkaSink.forLogEvents(NOWHERE, "events").property("acks", "all")
                .property("enable.idempotence", true).property("compression.type", "lz4").build();
        assertTrue(sink.toString().contains("events"), sink.toString());
        sink.close();
    }

    @Test
    void refusesWhatWouldWeakenDelivery() {
        assertEquals("acks must be all (or -1): the sink counts an event written only once every in-sync replica has it: acks=1",
                refused(with("acks", "1")));
        assertEquals("enable.idempotence must be true: the producer's own retries must not duplicate records:"
                + " enable.idempotence=false", refused(with("enable.idempotence", "false")));
        assertTrue(refused(with("transactional.id", "tx")).endsWith("transactional.id=tx"));
        assertTrue(refused(with("value.serializer", "org.apache.kafka.common.serialization.StringSerializer"))
                .startsWith("value.serializer is set by the sink"));
    }

    @Test
    void refusesAnUnknownProperty() {
        assertEquals("unknown Kafka producer property (see ProducerConfig): lingr.ms=5", refused(with("lingr.ms", 5)));
    }

    @Test
    void refusesUnboundedWaitsAndBuffers() {
        assertEquals("max.block.ms must be in [100, 300000]: max.block.ms=9223372036854775807",
                refused(with("max.block.ms", Long.MAX_VALUE)));
        assertEquals("delivery.timeout.ms must be in [1000, 3600000]: delivery.timeout.ms=2147483647",
                refused(with("delivery.timeout.ms", Integer.MAX_VALUE)));
        assertEquals("request.timeout.ms must be a whole number in [100, 300000]: request.timeout.ms=soon",
                refused(with("request.timeout.ms", "soon")));
        assertEquals("buffer.memory must be in [65536, 1073741824]: buffer.memory=1024",
                refused(with("buffer.memory", 1024)));
    }

    @Test
    void passesOnWhatTheKafkaProducerRejects() {
        String badNumber = refused(with("linger.ms", "abc"));
        assertTrue(badNumber.contains("linger.ms") && badNumber.contains("abc"), badNumber);
        String inconsistent = refused(with("delivery.timeout.ms", 1_000).property("request.timeout.ms", 2_000));
        assertTrue(inconsistent.contains("delivery.timeout.ms"), inconsistent);
    }

    @Test
    void refusesABadTopicOrNoServers() {
        String topic = assertThrows(IllegalArgumentException.class, () -> KafkaSink.forLogEvents(NOWHERE, "a topic")).getMessage();
        assertTrue(topic.startsWith("topic must be a valid Kafka topic name"), topic);
        String servers = assertThrows(IllegalArgumentException.class, () -> KafkaSink.forLogEvents(" ", "events")).getMessage();
        assertEquals("bootstrapServers must be host:port[,host:port...]: bootstrapServers=' '", servers);
    }
}
