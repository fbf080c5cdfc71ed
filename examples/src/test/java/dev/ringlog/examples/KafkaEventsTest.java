package dev.ringlog.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringlog.testsupport.KafkaCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Kafka example against a real in-process broker: every event it publishes is in the topic. */
@Timeout(180)
class KafkaEventsTest {

    @Test
    void everyEventTheExamplePublishesIsInTheTopic() throws Exception {
        try (KafkaCluster kafka = KafkaCluster.start()) {
            kafka.createTopic("page-views", 1, Map.of());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int status = KafkaEvents.run(new String[] {kafka.bootstrapServers(), "page-views", "500"},
                    new PrintStream(bytes, true, StandardCharsets.UTF_8));
            String out = bytes.toString(StandardCharsets.UTF_8);
            assertEquals(0, status, out);
            assertTrue(out.contains("written=500"), out);
            assertEquals(500, kafka.records("page-views", Duration.ofSeconds(30)));
        }
    }
}
