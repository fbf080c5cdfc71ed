package dev.ringlog.bench;

import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.testsupport.KafkaCluster;
import dev.ringlog.kafka.KafkaSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * ringlog with {@link KafkaSink} against a raw {@code KafkaProducer} called from the producer thread,
 * both sending the same JSON record per event, keyed by its id, to a one-partition topic of a real
 * Kafka broker (KRaft, one controller and one broker, started in this JVM by {@link KafkaCluster}: it
 * shares the 2 cores with the benchmark, the same for both). Both producers have the same settings:
 * the sink's (idempotent, {@code acks=all}, {@code buffer.memory} 16 MiB, Kafka's defaults otherwise).
 *
 * <ul>
 *   <li>{@code endToEnd*} ({@code SingleShotTime}): {@code events} (1,000,000) events published from
 *       one thread, timed until the broker has acknowledged the last: ringlog's {@code flush} returns,
 *       or {@code producer.flush()} does. events/s is {@code events / time}. Each iteration writes a topic
 *       of its own and its teardown checks that the topic holds exactly {@code events} records.</li>
 *   <li>{@code publish*} ({@code SampleTime}): the cost of one call on the producer thread, with
 *       {@code thinkTokens} of think time before each ({@code Blackhole.consumeCPU}), so that Kafka keeps
 *       up ({@code pacing} measures the think time alone): {@code log.publish(...)} (ringlog: a ring slot, the Disruptor's cost) against
 *       {@code producer.send(...)} after building the record's JSON (the raw producer's work on the
 *       caller's thread: serialization, partitioning, appending to its batch under its lock).</li>
 * </ul>
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class KafkaBenchmark {

    static final Duration MAX_WAIT = Duration.ofSeconds(120);

    /** The Kafka cluster of one fork, and the producer settings both systems use. */
    @State(Scope.Benchmark)
    public static class Cluster {
        KafkaCluster kafka;
        int topics;

        @Setup(Level.Trial)
        public void start() throws Exception {
            kafka = KafkaCluster.start();
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            kafka.close();
        }

        /** A new one-partition topic. */
        String newTopic(String system) throws Exception {
            String topic = "bench-" + system + "-" + topics++;
            kafka.createTopic(topic, 1, Map.of());
            return topic;
        }

        /** The raw producer with what {@code KafkaSink} gives its own (see {@code ProducerSettings}). */
        KafkaProducer<Long, byte[]> rawProducer() {
            Map<String, Object> config = new HashMap<>();
            config.put("bootstrap.servers", kafka.bootstrapServers());
            config.put("acks", "all");
            config.put("enable.idempotence", true);
            config.put("max.block.ms", (long) KafkaSink.DEFAULT_MAX_BLOCK_MS);
            config.put("request.timeout.ms", KafkaSink.DEFAULT_REQUEST_TIMEOUT_MS);
            config.put("delivery.timeout.ms", KafkaSink.DEFAULT_DELIVERY_TIMEOUT_MS);
            config.put("buffer.memory", KafkaSink.DEFAULT_BUFFER_MEMORY);
            return new KafkaProducer<>(config, new LongSerializer(), new ByteArraySerializer());
        }

        void expectRecords(String topic, long expected, String system) {
            long records = kafka.records(topic, MAX_WAIT);
            if (records != expected) {
                throw new IllegalStateException(system + ": " + records + " records in " + topic + ", expected " + expected);
            }
        }
    }

    /** ringlog: ring 65,536, BLOCK, {@code maxBatchSize} ({@code -p maxBatchSize}), {@code KafkaSink} with its defaults. */
    @State(Scope.Benchmark)
    public static class Ringlog {
        /** Events per acknowledged batch at most: the sink waits for each batch's acknowledgements. */
        @Param("10000")
        int maxBatchSize;

        EventLog<LogEvent> log;
        String topic;
        Cluster cluster;

        @Setup(Level.Iteration)
        public void start(Cluster cluster) throws Exception {
            this.cluster = cluster;
            topic = cluster.newTopic("ringlog");
            log = EventLog.builder(LogEvent::new, KafkaSink.forLogEvents(cluster.kafka.bootstrapServers(), topic).build())
                    .name("bench-kafka").ringSize(65_536).maxBatchSize(maxBatchSize).overflow(OverflowPolicy.BLOCK)
                    .jmx(false).shutdownHook(false).start();
        }

        @TearDown(Level.Iteration)
        public void stop() {
            boolean drained = log.flush(MAX_WAIT);
            log.close();
            EventLog.Stats s = log.stats();
            if (!drained || s.failed() > 0 || s.pending() > 0) {
                throw new IllegalStateException("ringlog: " + s);
            }
            cluster.expectRecords(topic, s.written(), "ringlog");
        }
    }

    /** The raw {@code KafkaProducer}; one callback for every record counts acknowledgements and keeps the first failure. */
    @State(Scope.Benchmark)
    public static class Raw {
        KafkaProducer<Long, byte[]> producer;
        String topic;
        Cluster cluster;
        final RecordJson json = new RecordJson();
        final AtomicLong acknowledged = new AtomicLong();
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final Callback callback = (metadata, exception) -> {
            if (exception == null) {
                acknowledged.incrementAndGet();
            } else {
                failure.compareAndSet(null, exception);
            }
        };
        long sent;

        @Setup(Level.Iteration)
        public void start(Cluster cluster) throws Exception {
            this.cluster = cluster;
            topic = cluster.newTopic("raw");
            producer = cluster.rawProducer();
            acknowledged.set(0);
            sent = 0;
        }

        long send(String type, String actor, String payload) {
            long id = sent++;
            producer.send(new ProducerRecord<>(topic, null, id, json.of(id, BenchEvents.nowMicros(), type, actor, payload)), callback);
            return id;
        }

        @TearDown(Level.Iteration)
        public void stop() {
            producer.flush();
            producer.close(MAX_WAIT);
            if (failure.get() != null || acknowledged.get() != sent) {
                throw new IllegalStateException("raw producer: " + acknowledged.get() + " of " + sent + " acknowledged", failure.get());
            }
            cluster.expectRecords(topic, sent, "raw producer");
        }
    }

    /** The strings every event carries, read from a field so that nothing is constant-folded. */
    @State(Scope.Benchmark)
    public static class Fields {
        @Param("1000000")
        int events;

        @Param("2000")
        int thinkTokens;

        String type = BenchEvents.TYPE;
        String actor = BenchEvents.ACTOR;
        String payload = BenchEvents.PAYLOAD;
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public long endToEndRinglog(Fields f, Ringlog s) {
        EventLog<LogEvent> log = s.log;
        for (int i = 0; i < f.events; i++) {
            log.publish(LogEvent::set, f.type, f.actor, f.payload);
        }
        if (!log.flush(MAX_WAIT)) {
            throw new IllegalStateException("ringlog: not acknowledged in " + MAX_WAIT + ": " + log.stats());
        }
        return log.stats().written();
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public long endToEndKafkaProducer(Fields f, Raw s) {
        for (int i = 0; i < f.events; i++) {
            s.send(f.type, f.actor, f.payload);
        }
        s.producer.flush();
        return s.acknowledged.get();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 1, time = 2)
    @Measurement(iterations = 3, time = 2)
    public boolean publishRinglog(Fields f, Ringlog s) {
        Blackhole.consumeCPU(f.thinkTokens);
        return s.log.publish(LogEvent::set, f.type, f.actor, f.payload);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 1, time = 2)
    @Measurement(iterations = 3, time = 2)
    public long publishKafkaProducer(Fields f, Raw s) {
        Blackhole.consumeCPU(f.thinkTokens);
        return s.send(f.type, f.actor, f.payload);
    }

    /** The think time alone, as {@code publish*} spend it before each call: subtract it from their samples. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 1, time = 2)
    @Measurement(iterations = 3, time = 2)
    public void pacing(Fields f) {
        Blackhole.consumeCPU(f.thinkTokens);
    }

    /**
     * The record value a user of the raw producer would build on the calling thread: the same JSON as
     * {@code KafkaSink.forLogEvents}, the same escaping, one reused buffer.
     */
    static final class RecordJson {
        private final StringBuilder out = new StringBuilder(256);

        byte[] of(long id, long micros, String type, String actor, String payload) {
            out.setLength(0);
            out.append("{\"id\":").append(id).append(",\"timestamp\":").append(micros);
            quoted(out.append(",\"type\":"), type);
            quoted(out.append(",\"actor\":"), actor);
            quoted(out.append(",\"payload\":"), payload);
            return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
        }

        private static void quoted(StringBuilder out, String s) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            out.append('"');
        }
    }
}
