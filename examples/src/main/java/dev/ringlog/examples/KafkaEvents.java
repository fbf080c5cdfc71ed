package dev.ringlog.examples;

import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.kafka.KafkaSink;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Page views into a Kafka topic instead of a database: {@code java ... KafkaEvents host:9092 page-views 1000}
 * publishes that many events and prints the log's counters once the broker has acknowledged them.
 */
public final class KafkaEvents {

    private KafkaEvents() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Runs the example; 0 if the broker acknowledged every event. */
    static int run(String[] args, PrintStream out) {
        String bootstrapServers = args.length > 0 ? args[0] : "localhost:9092";
        String topic = args.length > 1 ? args[1] : "page-views";
        int events = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        // tag::kafka[]
        KafkaSink<LogEvent> sink = KafkaSink.forLogEvents(bootstrapServers, topic) // one JSON record per event, keyed by its id
                .property("compression.type", "lz4")                           // any producer property, checked at build()
                .build();
        EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink)
                .name("page-views")
                .maxBatchSize(10_000)              // one acknowledged batch per 10,000 events at most
                .overflow(OverflowPolicy.BLOCK)    // while Kafka is down, the ring fills; then producers wait
                .start();
        log.publish(LogEvent::set, "page_view", "user-42", "{\"path\":\"/home\"}");
        // end::kafka[]
        for (int i = 1; i < events; i++) {
            log.publish(LogEvent::set, "page_view", "user-" + (i % 100), "{\"path\":\"/page/" + i + "\"}");
        }
        boolean acknowledged = log.flush(Duration.ofSeconds(60));
        log.close();
        out.println((acknowledged ? "acknowledged: " : "not all acknowledged in 60 s: ") + log.stats());
        return acknowledged ? 0 : 1;
    }
}
