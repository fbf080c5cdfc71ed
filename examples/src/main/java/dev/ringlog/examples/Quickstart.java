package dev.ringlog.examples;

import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.Sink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes events from several threads through an {@link EventLog} into a sink that stands in for a
 * database (it counts rows and commits), then prints the accounting.
 *
 * <p>Run: {@code mvn -B -q -pl examples -am compile exec:java}
 */
public final class Quickstart {

    /** A sink standing in for a table: keeps a row count and counts commits. */
    static final class CountingSink implements Sink<LogEvent> {
        final AtomicLong rows = new AtomicLong();
        final AtomicLong commits = new AtomicLong();
        private long batch;

        @Override
        public void add(LogEvent event) {
            batch++; // a real sink copies the fields here: the event is a ring slot, reused after commit
        }

        @Override
        public void flush() {
            rows.addAndGet(batch);
            commits.incrementAndGet();
            batch = 0;
        }
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int perThread = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        CountingSink sink = new CountingSink();

        EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink)
                .name("quickstart")
                .overflow(OverflowPolicy.BLOCK)
                .start();

        long start = System.nanoTime();
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String actor = "user-" + t;
            Thread producer = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    log.publish(LogEvent::set, "page_view", actor, "{\"path\":\"/home\"}");
                }
            });
            producers.add(producer);
            producer.start();
        }
        for (Thread producer : producers) {
            producer.join();
        }
        long publishedNanos = System.nanoTime() - start;
        log.close();
        long totalNanos = System.nanoTime() - start;

        EventLog.Stats stats = log.stats();
        System.out.printf("%d threads x %,d events%n", threads, perThread);
        System.out.printf("published in %,d ms (%.0f ns per event per thread); all written in %,d ms%n",
                publishedNanos / 1_000_000, (double) publishedNanos / perThread, totalNanos / 1_000_000);
        System.out.printf("accepted %,d  dropped %,d  written %,d  failed %,d  pending %,d%n",
                stats.accepted(), stats.dropped(), stats.written(), stats.failed(), stats.pending());
        System.out.printf("sink: %,d rows in %,d commits (%.0f rows per commit)%n",
                sink.rows.get(), sink.commits.get(), (double) sink.rows.get() / Math.max(1, sink.commits.get()));
        boolean accountedFor = stats.accepted() + stats.dropped() == (long) threads * perThread
                && stats.pending() == 0 && stats.written() == sink.rows.get();
        System.out.println(accountedFor ? "every event accounted for" : "EVENTS UNACCOUNTED FOR");
        if (!accountedFor) {
            System.exit(1);
        }
    }
}
