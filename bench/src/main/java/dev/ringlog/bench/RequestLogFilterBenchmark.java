package dev.ringlog.bench;

import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import dev.ringlog.servlet.RequestLogFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code RequestLogFilter} adds to a request, against a filter that does nothing, on the same
 * request: {@code doFilter} called directly (no container, no socket) with {@link BenchHttpRequest} and
 * {@link BenchHttpResponse}, a GET of {@code /api/orders/42} with a route template set as Spring MVC
 * does and two headers, and an "application" that sets the status. The filter publishes to an
 * {@code EventLog} (ring 65,536, DROP) whose sink does nothing, so what is measured is the request
 * thread's cost: building the JSON and the publish. Variants: the defaults ({@code logged}), two
 * allowed headers ({@code loggedWithHeaders}), and a request that sampling leaves out ({@code sampledOut}).
 * Bodies are not configured: capturing them costs what the application's body costs, not a per-request constant.
 * Run with {@code -prof gc} for B/op; {@code bench/run} does ({@code request-log.json}), or alone:
 * {@code java -jar bench/target/benchmarks.jar RequestLogFilterBenchmark -prof gc}.
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class RequestLogFilterBenchmark {

    /** The application: sets the status, as a handler does. */
    private static final FilterChain APPLICATION = (req, resp) -> ((HttpServletResponse) resp).setStatus(200);

    /** The baseline: a filter that passes the request on and does nothing else. */
    private static final Filter NOTHING = (req, resp, chain) -> chain.doFilter(req, resp);

    private EventLog<LogEvent> log;
    private RequestLogFilter logged;
    private RequestLogFilter loggedWithHeaders;
    private RequestLogFilter sampledOut;

    /** One request and response per thread, reused as a container recycles its own. */
    @State(Scope.Thread)
    public static class Exchange {
        final BenchHttpRequest request = new BenchHttpRequest("GET", "/api/orders/42")
                .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)")
                .header("Accept", "application/json");
        final BenchHttpResponse response = new BenchHttpResponse();

        @Setup(Level.Trial)
        public void route() {
            request.setAttribute(RequestLogFilter.SPRING_MVC_BEST_MATCHING_PATTERN, "/api/orders/{id}");
        }
    }

    @Setup(Level.Trial)
    public void start() {
        log = EventLog.builder(LogEvent::new, new PublishBenchmark.NoopSink())
                .name("bench-request-log").ringSize(65_536).overflow(OverflowPolicy.DROP)
                .shutdownHook(false).start();
        logged = RequestLogFilter.builder(log).build();
        loggedWithHeaders = RequestLogFilter.builder(log).headers("User-Agent", "Accept").build();
        sampledOut = RequestLogFilter.builder(log).sample("/api/**", 0.0).build();
    }

    @TearDown(Level.Trial)
    public void stop() {
        log.close();
        long requests = logged.requests() + loggedWithHeaders.requests() + sampledOut.requests();
        long dropped = logged.dropped() + loggedWithHeaders.dropped();
        // A dropped event skips the sink's side of publish: say so rather than report a cheaper path as the cost.
        System.out.println("RequestLogFilterBenchmark: " + requests + " requests, " + dropped + " events dropped (ring full), "
                + sampledOut.sampledOut() + " sampled out");
    }

    @Benchmark
    public void nothing(Exchange x) throws IOException, ServletException {
        NOTHING.doFilter(x.request, x.response, APPLICATION);
    }

    @Benchmark
    public void logged(Exchange x) throws IOException, ServletException {
        logged.doFilter(x.request, x.response, APPLICATION);
    }

    @Benchmark
    public void loggedWithHeaders(Exchange x) throws IOException, ServletException {
        loggedWithHeaders.doFilter(x.request, x.response, APPLICATION);
    }

    @Benchmark
    public void sampledOut(Exchange x) throws IOException, ServletException {
        sampledOut.doFilter(x.request, x.response, APPLICATION);
    }
}
