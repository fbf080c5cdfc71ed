package dev.ringlog.bench;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What an idle log costs: starts a log with a sink that does nothing, publishes nothing for
 * {@code seconds} and reads its sink thread's CPU time ({@code ThreadMXBean.getThreadCpuTime}), for
 * each of ringlog's wait strategies SLEEP (the default) and BLOCK, and for reference a raw Disruptor
 * consumer in its idle configurations: {@code SleepingWaitStrategy(200, 1 ms)} and
 * {@code BlockingWaitStrategy} (not its default {@code SleepingWaitStrategy()}, which parks 100 ns at
 * a time: a latency setting, not an idle one). Not JMH: there is no operation to time.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.ringlog.bench.IdleCpu [seconds] [out.json]}.
 */
public final class IdleCpu {

    private IdleCpu() {
    }

    record Sample(String system, String waitStrategy, double seconds, double cpuMillis, double cpuPercent) {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        Path out = args.length > 1 ? Path.of(args[1]) : null;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!mx.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot read a thread's CPU time");
        }
        mx.setThreadCpuTimeEnabled(true);
        List<Sample> samples = new ArrayList<>();
        for (EventLog.WaitStrategy ws : new EventLog.WaitStrategy[] {EventLog.WaitStrategy.SLEEP, EventLog.WaitStrategy.BLOCK}) {
            AtomicReference<Thread> sinkThread = new AtomicReference<>();
            EventLog<LogEvent> log = EventLog.builder(LogEvent::new, new PublishBenchmark.NoopSink())
                    .name("idle-" + ws).waitStrategy(ws).shutdownHook(false)
                    .threadFactory(r -> {
                        Thread t = new Thread(r, "ringlog-idle-" + ws + "-sink");
                        t.setDaemon(true);
                        sinkThread.set(t);
                        return t;
                    })
                    .start();
            try {
                samples.add(measure(mx, sinkThread.get(), "ringlog", ws.name(), seconds));
            } finally {
                log.close();
            }
        }
        // The raw Disruptor in its idle configurations, the counterparts of ringlog's SLEEP and BLOCK:
        // SleepingWaitStrategy parking 1 ms (its default parks 100 ns, tuned for latency: measured 29% of
        // a core while idle on the AMD machine) and BlockingWaitStrategy (a lock and condition).
        samples.add(measureDisruptor(mx, "SleepingWaitStrategy(200, 1 ms)", new SleepingWaitStrategy(200, 1_000_000), seconds));
        samples.add(measureDisruptor(mx, "BlockingWaitStrategy()", new BlockingWaitStrategy(), seconds));

        StringBuilder json = new StringBuilder("[\n");
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            System.out.printf(Locale.ROOT, "%-13s %-24s idle %.1f s: sink thread CPU %.1f ms = %.3f%% of a core%n",
                    s.system(), s.waitStrategy(), s.seconds(), s.cpuMillis(), s.cpuPercent());
            json.append(String.format(Locale.ROOT,
                    "  {\"system\": \"%s\", \"waitStrategy\": \"%s\", \"seconds\": %.1f, \"cpuMillis\": %.3f, \"cpuPercent\": %.4f}%s%n",
                    s.system(), s.waitStrategy(), s.seconds(), s.cpuMillis(), s.cpuPercent(), i + 1 < samples.size() ? "," : ""));
        }
        json.append("]\n");
        if (out != null) {
            write(out, json.toString());
        }
    }

    private static Sample measureDisruptor(ThreadMXBean mx, String label, WaitStrategy waitStrategy, double seconds)
            throws InterruptedException {
        AtomicReference<Thread> raw = new AtomicReference<>();
        Disruptor<LogEvent> disruptor = new Disruptor<>(LogEvent::new, 65_536, r -> {
            Thread t = new Thread(r, "disruptor-idle");
            t.setDaemon(true);
            raw.set(t);
            return t;
        }, ProducerType.MULTI, waitStrategy);
        disruptor.handleEventsWith((EventHandler<LogEvent>) (event, sequence, endOfBatch) -> { });
        disruptor.start();
        try {
            return measure(mx, raw.get(), "disruptorRaw", label, seconds);
        } finally {
            disruptor.halt();
        }
    }

    private static Sample measure(ThreadMXBean mx, Thread t, String system, String ws, double seconds)
            throws InterruptedException {
        Thread.sleep(1_000); // let it settle into its idle wait
        long cpu0 = mx.getThreadCpuTime(t.getId());
        long t0 = System.nanoTime();
        Thread.sleep((long) (seconds * 1_000));
        long cpu = mx.getThreadCpuTime(t.getId()) - cpu0;
        double wall = (System.nanoTime() - t0) / 1e9;
        return new Sample(system, ws, wall, cpu / 1e6, 100.0 * cpu / 1e9 / wall);
    }

    private static void write(Path out, String text) throws IOException {
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, text);
    }
}
