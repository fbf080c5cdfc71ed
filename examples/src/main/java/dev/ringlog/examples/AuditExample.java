package dev.ringlog.examples;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.jdbc.JdbcSink;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Audit records that must not be lost: each caller waits until its record is committed. With one
 * synchronous commit per record, N callers make N commits; with {@code publishDurable}, callers that
 * arrive while a commit is under way share the next one (group commit), and each still gets its own
 * acknowledgement.
 *
 * <pre>mvn -B -q -pl examples -am compile exec:java -Ddemo.main=dev.ringlog.examples.AuditExample</pre>
 *
 * Options: {@code --threads N} (default 8), {@code --events N} per thread (250),
 * {@code --commit-latency D} (default 2ms: a disk that syncs each commit), {@code --dir PATH}.
 */
public final class AuditExample {

    private AuditExample() {
    }

    public static void main(String[] args) throws Exception {
        int status = run(args, System.out);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** A caller's audit records: writes one and waits until it is committed. */
    private interface Audit {
        void recordAndWait(String actor, String payload) throws Exception;
    }

    private record Result(String system, int events, long commits, double seconds, double[] ackMillis) {
    }

    static int run(String[] args, PrintStream out) throws Exception {
        int threads = 8;
        int perThread = 250;
        Duration commitLatency = Duration.ofMillis(2);
        Path dir = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--events" -> perThread = Integer.parseInt(args[i + 1]);
                case "--commit-latency" -> commitLatency = Durations.parse(args[i], args[i + 1]);
                case "--dir" -> dir = Path.of(args[i + 1]);
                default -> {
                    out.println("unknown option " + args[i] + ": the options are --threads N, --events N,"
                            + " --commit-latency 2ms, --dir PATH");
                    return 2;
                }
            }
        }
        if (dir == null) {
            dir = Files.createTempDirectory("ringlog-audit");
        }
        out.printf("audit example: %d threads x %,d records, each caller waiting for its commit;"
                + " H2 file database with commits on disk, each commit taking %d ms longer%n%n",
                threads, perThread, commitLatency.toMillis());
        try (HikariDataSource h2 = JdbcSink.embeddedH2(dir).name("audit")
                .maximumPoolSize(threads + 2).open()) {
            SlowCommits syncDb = new SlowCommits(h2, commitLatency);
            SyncInserts inserts = new SyncInserts(syncDb.dataSource, "audit_sync");
            Result sync = drive("synchronous commit", threads, perThread, syncDb,
                    (actor, payload) -> inserts.insert("audit", actor, payload));

            SlowCommits ringDb = new SlowCommits(h2, commitLatency);
            JdbcSink<LogEvent> sink = JdbcSink.forLogEvents(ringDb.dataSource).table("audit_ringlog").build();
            EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink).name("audit")
                    .overflow(OverflowPolicy.BLOCK).start();
            Result durable = drive("ringlog publishDurable", threads, perThread, ringDb,
                    (actor, payload) -> log.publishDurable(LogEvent::set, "audit", actor, payload).get(30, TimeUnit.SECONDS));
            log.close();

            out.printf("%-24s %8s %8s %14s %10s %10s %10s%n", "", "records", "commits", "records/commit",
                    "ack p50 ms", "ack p99 ms", "records/s");
            for (Result r : List.of(sync, durable)) {
                out.printf("%-24s %,8d %,8d %14.1f %10.2f %10.2f %,10.0f%n", r.system(), r.events(), r.commits(),
                        (double) r.events() / r.commits(), r.ackMillis()[0], r.ackMillis()[1], r.events() / r.seconds());
            }
            EventLog.Stats stats = log.stats();
            long expected = (long) threads * perThread;
            boolean ok = stats.written() == expected && stats.pending() == 0 && stats.dropped() == 0;
            out.println(ok ? "\nevery record acknowledged and committed" : "\nRECORDS MISSING: " + stats);
            return ok ? 0 : 1;
        }
    }

    private static Result drive(String system, int threads, int perThread, SlowCommits db, Audit audit) throws Exception {
        Latencies acks = new Latencies(threads * perThread);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> callers = new ArrayList<>();
        long start = System.nanoTime();
        long commitsBefore = db.commits();
        for (int t = 0; t < threads; t++) {
            int caller = t;
            callers.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    long t0 = System.nanoTime();
                    audit.recordAndWait("user-" + caller, "{\"action\":\"login\",\"seq\":" + i + "}");
                    acks.record(caller * perThread + i, System.nanoTime() - t0);
                }
                return null;
            }));
        }
        for (Future<?> f : callers) {
            f.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(system, threads * perThread, db.commits() - commitsBefore, seconds, acks.summaryMillis());
    }

}
