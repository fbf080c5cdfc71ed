package dev.ringlog.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.RetryPolicy;
import dev.ringlog.SinkState;
import dev.ringlog.testsupport.KafkaCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sink against a real in-process Kafka broker: what a consumer reads back, and what is dead-lettered. */
class KafkaSinkTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static KafkaCluster kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaCluster.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aConsumerReadsBackEveryEventOnceAsJsonKeyedByItsId() throws Exception {
        String topic = "kafka-roundtrip";
        kafka.createTopic(topic, 3, Map.of());
        int events = 20_000;
        long before = System.currentTimeMillis() * 1000;
        Map<Long, String> deadLetters = new ConcurrentHashMap<>();
        EventLog<LogEvent> log = EventLog.builder(LogEvent::new, KafkaSink.forLogEvents(kafka.bootstrapServers(), topic).build())
                .name("kafka-roundtrip").overflow(OverflowPolicy.BLOCK)
                .deadLetters((e, cause) -> deadLetters.put(e.id(), String.valueOf(cause)))
                .start();
        String tricky = "quote \" backslash \\ newline \n tab \t bell \u0007 unicode é ✓ \uD83D\uDE00";
        for (int i = 0; i < events; i++) {
            log.publish(LogEvent::set, "page_view", "user-" + (i % 100), i == 7 ? tricky : "{\"i\":" + i + "}");
        }
        log.publish(LogEvent::set, null, null, null);
        assertTrue(log.flush(WAIT), () -> "not drained: " + log.stats());
        log.close();
        long after = System.currentTimeMillis() * 1000;
        assertEquals(events + 1, log.stats().written(), log.stats().toString());
        assertEquals(Map.of(), deadLetters);

        List<ConsumerRecord<Long, byte[]>> records = kafka.readAll(topic, WAIT);
        assertEquals(events + 1, records.size(), "records in the topic");
        Set<Long> ids = new HashSet<>();
        Set<Integer> indexes = new HashSet<>();
        int nulls = 0;
        for (ConsumerRecord<Long, byte[]> r : records) {
            JsonObject json = JsonParser.parseString(new String(r.value(), StandardCharsets.UTF_8)).getAsJsonObject();
            assertEquals(Set.of("id", "timestamp", "type", "actor", "payload"), json.keySet());
            assertEquals(r.key().longValue(), json.get("id").getAsLong(), "the key is the event id");
            assertTrue(ids.add(r.key()), "id read twice: " + r.key());
            long ts = json.get("timestamp").getAsLong();
            assertTrue(ts >= before - 1000 && ts <= after + 1000, "timestamp in microseconds of the run: " + ts);
            if (json.get("type").isJsonNull()) {
                assertTrue(json.get("actor").isJsonNull() && json.get("payload").isJsonNull(), json.toString());
                nulls++;
                continue;
            }
            assertEquals("page_view", json.get("type").getAsString());
            String payload = json.get("payload").getAsString();
            int i = payload.equals(tricky) ? 7 : JsonParser.parseString(payload).getAsJsonObject().get("i").getAsInt();
            assertEquals("user-" + (i % 100), json.get("actor").getAsString());
            assertTrue(indexes.add(i), "event " + i + " read twice");
        }
        assertEquals(1, nulls, "the event with no strings, as JSON nulls");
        assertEquals(events, indexes.size(), "every published event read back once");
    }

    /** A user event type: the sink keys it by {@code id} and serializes it with the user's serializer. */
    static final class Order {
        long id;
        String item;

        void set(long id, String item) {
            this.id = id;
            this.item = item;
        }
    }

    @Test
    void aCustomSerializerThatThrowsDeadLettersThatEventAndTheRestIsDeliveredOnce() throws Exception {
        String topic = "kafka-custom";
        kafka.createTopic(topic, 1, Map.of());
        KafkaSink<Order> sink = KafkaSink.<Order>builder(kafka.bootstrapServers(), topic, o -> o.id, (t, o) -> {
            if (o.item.startsWith("bad")) {
                throw new IllegalArgumentException("cannot serialize " + o.item);
            }
            return o.item.getBytes(StandardCharsets.UTF_8);
        }).build();
        Map<Long, Throwable> deadLetters = new ConcurrentHashMap<>();
        EventLog<Order> log = EventLog.builder(Order::new, sink).name("kafka-custom").overflow(OverflowPolicy.BLOCK)
                .maxBatchSize(500).deadLetters((o, cause) -> deadLetters.put(o.id, cause)).start();
        int events = 5_000;
        Set<Long> bad = Set.of(3L, 499L, 500L, 2_222L, 4_999L);
        for (long id = 0; id < events; id++) {
            log.publish(Order::set, id, (bad.contains(id) ? "bad-" : "item-") + id);
        }
        assertTrue(log.flush(WAIT), () -> "not drained: " + log.stats());
        log.close();
        assertEquals(bad, deadLetters.keySet());
        for (Throwable cause : deadLetters.values()) {
            assertInstanceOf(SerializationException.class, cause);
            assertInstanceOf(IllegalArgumentException.class, cause.getCause());
        }
        assertEquals(events - bad.size(), log.stats().written());
        assertEquals(bad.size(), log.stats().failed());

        Map<Long, Integer> seen = count(kafka.readAll(topic, WAIT));
        assertEquals(events - bad.size(), seen.size(), "distinct ids in the topic");
        seen.forEach((id, n) -> assertEquals(1, n, "copies of " + id));
        for (long id : bad) {
            assertTrue(!seen.containsKey(id), "dead-lettered " + id + " is not in the topic");
        }
    }

    @Test
    void aRecordOverTheTopicsMaxMessageBytesIsDeadLetteredAndTheRestOfItsBatchDeliveredOnce() throws Exception {
        String topic = "kafka-oversized";
        kafka.createTopic(topic, 1, Map.of("max.message.bytes", "20000"));
        Map<Long, Throwable> deadLetters = new ConcurrentHashMap<>();
        Map<Long, Integer> indexOf = new ConcurrentHashMap<>();
        EventLog<LogEvent> log = EventLog.builder(LogEvent::new, KafkaSink.forLogEvents(kafka.bootstrapServers(), topic).build())
                .name("kafka-oversized").overflow(OverflowPolicy.BLOCK).maxBatchSize(1_000)
                .deadLetters((e, cause) -> {
                    deadLetters.put(e.id(), cause);
                    indexOf.put(e.id(), Integer.parseInt(e.actor()));
                })
                .start();
        int events = 10_000;
        Set<Integer> large = Set.of(0, 1_234, 5_000, 9_999);
        String big = "x".repeat(30_000);
        for (int i = 0; i < events; i++) {
            log.publish(LogEvent::set, "t", Integer.toString(i), large.contains(i) ? big : "small-" + i);
        }
        assertTrue(log.flush(WAIT), () -> "not drained: " + log.stats());
        log.close();
        assertEquals(large, new HashSet<>(indexOf.values()), "the oversized events are the dead letters");
        for (Throwable cause : deadLetters.values()) {
            assertInstanceOf(RecordTooLargeException.class, cause);
        }
        assertEquals(events - large.size(), log.stats().written());

        List<ConsumerRecord<Long, byte[]>> records = kafka.readAll(topic, WAIT);
        Map<Long, Integer> seen = count(records);
        assertEquals(events - large.size(), seen.size(), "distinct ids in the topic");
        assertEquals(events - large.size(), records.size(), "records in the topic: none sent twice while narrowing");
        for (Long id : deadLetters.keySet()) {
            assertTrue(!seen.containsKey(id), "dead-lettered " + id + " is not in the topic");
        }
    }

    @Test
    void theLogStartsWhileNoBrokerAnswersRetriesClosesInBoundedTimeAndDeliversOnceItIsBack() throws Exception {
        // The class's cluster: its broker is stopped for this test and started again in the finally.
        String topic = "kafka-late";
        kafka.createTopic(topic, 1, Map.of());
        kafka.stopBroker();
        KafkaSink<LogEvent> sink = shortTimeouts(KafkaSink.forLogEvents(kafka.bootstrapServers(), topic)).build();
        EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink).name("kafka-late").overflow(OverflowPolicy.BLOCK)
                .retry(RetryPolicy.backoff(Duration.ofMillis(20), Duration.ofMillis(200))).start();
        int events = 2_000;
        try {
            for (int i = 0; i < events; i++) {
                log.publish(LogEvent::set, "t", "a", Integer.toString(i));
            }
            assertTrue(!log.flush(Duration.ofSeconds(2)), "nothing can be written while no broker answers");
            EventLog.Stats waiting = log.stats();
            assertEquals(0, waiting.written(), waiting.toString());
            assertEquals(events, waiting.pending(), waiting.toString());
            assertTrue(waiting.retries() >= 2, "retried while the broker is down: " + waiting);

            // Another log closed while no broker answers: close() is bounded, the events stay pending.
            EventLog<LogEvent> closing = EventLog.builder(LogEvent::new,
                            shortTimeouts(KafkaSink.forLogEvents(kafka.bootstrapServers(), topic)).build())
                    .name("kafka-close-while-down").shutdownTimeout(Duration.ofSeconds(1)).start();
            for (int i = 0; i < 100; i++) {
                closing.publish(LogEvent::set, "t", "a", "closed while down");
            }
            long started = System.nanoTime();
            closing.close();
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertTrue(tookMs < 5_000, "close() took " + tookMs + " ms with a shutdownTimeout of 1 s");
            EventLog.Stats closed = closing.stats();
            assertEquals(100, closed.accepted(), closed.toString());
            assertEquals(0, closed.written(), closed.toString());
            assertEquals(100, closed.pending(), "not written, not lost from the count: " + closed);
            // The sink thread left its call within close(): the producer closes without waiting.
            assertEquals(SinkState.STOPPED, closing.sinkHealth().state());
        } finally {
            kafka.startBroker();
        }
        assertTrue(log.flush(WAIT), () -> "not drained once the broker is back: " + log.stats());
        log.close();
        assertEquals(events, log.stats().written());
        assertEquals(0, log.stats().failed());
        Map<Long, Integer> seen = count(kafka.readAll(topic, WAIT));
        assertEquals(events, seen.size());
        seen.forEach((id, n) -> assertEquals(1, n, "copies of " + id));
    }

    /** Waits of half a second: a broker that does not answer fails an attempt quickly. */
    private static KafkaSink.Builder<LogEvent> shortTimeouts(KafkaSink.Builder<LogEvent> builder) {
        return builder.property("max.block.ms", 500).property("request.timeout.ms", 500).property("delivery.timeout.ms", 1_000);
    }

    static Map<Long, Integer> count(List<ConsumerRecord<Long, byte[]>> records) {
        Map<Long, Integer> seen = new HashMap<>();
        for (ConsumerRecord<Long, byte[]> r : records) {
            assertNotNull(r.key(), "every record has a key");
            seen.merge(r.key(), 1, Integer::sum);
        }
        return seen;
    }
}
