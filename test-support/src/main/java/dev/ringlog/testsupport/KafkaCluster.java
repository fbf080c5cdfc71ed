package dev.ringlog.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import kafka.server.BrokerServer;

/**
 * A real Kafka cluster in this JVM: one KRaft controller and one broker ({@code KafkaClusterTestKit},
 * Kafka's own test harness), its files in a temporary directory deleted on close. The broker can be
 * stopped and started again on the same port. Used by kafka-sink's tests, the examples' tests and the bench module's {@code KafkaBenchmark}.
 */
public final class KafkaCluster implements AutoCloseable {

    private final KafkaClusterTestKit kit;

    private KafkaCluster(KafkaClusterTestKit kit) {
        this.kit = kit;
    }

    /** Formats and starts the cluster; returns once the broker is ready (a few seconds). */
    public static KafkaCluster start() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder().setNumControllerNodes(1).setNumBrokerNodes(1).build();
        KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(nodes)
                // A restarted broker registers again once its old session has expired: 4 s, not 9 (shorter
                // expires sessions of a live broker on a loaded 2-core machine).
                .setConfigProp("broker.session.timeout.ms", "4000")
                .setConfigProp("broker.heartbeat.interval.ms", "250")
                .build();
        try {
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
        } catch (Exception e) {
            kit.close();
            throw e;
        }
        return new KafkaCluster(kit);
    }

    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    /** Creates a topic (replication factor 1) with the given topic configs, and waits until it exists. */
    public void createTopic(String name, int partitions, Map<String, String> configs) throws Exception {
        try (Admin admin = kit.admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Shuts the broker down (controlled shutdown): nothing listens on its port until {@link #startBroker}. */
    public void stopBroker() {
        broker().shutdown();
    }

    /** Starts the broker again, on the same port, and waits until it is ready. */
    public void startBroker() throws Exception {
        broker().startup();
        kit.waitForReadyBrokers();
    }

    private BrokerServer broker() {
        return kit.brokers().values().iterator().next();
    }

    /**
     * Reads every record of {@code topic} from the beginning to its end offsets (as they are when called),
     * within {@code timeout}.
     */
    public List<ConsumerRecord<Long, byte[]>> readAll(String topic, Duration timeout) {
        try (KafkaConsumer<Long, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic, timeout);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            List<ConsumerRecord<Long, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!atEnd(consumer, end)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("read " + records.size() + " records of " + topic + " in " + timeout
                            + ", not up to its end offsets " + end);
                }
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            return records;
        }
    }

    /** How many records {@code topic} holds: the sum of its partitions' end offsets (nothing is deleted here). */
    public long records(String topic, Duration timeout) {
        try (KafkaConsumer<Long, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic, timeout);
            return consumer.endOffsets(partitions, timeout).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private KafkaConsumer<Long, byte[]> consumer() {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new LongDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic, Duration timeout) {
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic, timeout).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        return partitions;
    }

    private static boolean atEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws Exception {
        kit.close();
    }
}
