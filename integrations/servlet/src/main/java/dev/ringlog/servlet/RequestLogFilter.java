package dev.ringlog.servlet;

import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A servlet filter that publishes one {@link LogEvent} per HTTP request to an {@link EventLog}: type
 * {@code http_request} (see {@link Builder#eventType}), actor the authenticated user
 * ({@code getUserPrincipal()}, else {@code getRemoteUser()}) or null, and a JSON object as payload:
 * {@code method}, {@code path} (the request URI, not decoded), {@code template} (the framework's route,
 * such as {@code /users/{id}}, when it sets one), {@code query} (if enabled), {@code status},
 * {@code durationMicros}, {@code client} (the remote address), {@code complete}, the allowed
 * {@code requestHeaders} and {@code responseHeaders}, {@code exception} (the class of what the
 * application threw), and the bodies of configured content types: {@code requestBody},
 * {@code requestBodyTruncated}, {@code requestBodyTimedOut}, and the same for {@code response}.
 *
 * <p><b>When the event is published.</b> When the request completes: the filter chain returns or
 * throws, or, for an async request, the container completes it. A captured body can bring that
 * forward: if the application is still waiting in a read of a request body that has not reached its
 * end {@code requestBodyTimeout} after the request arrived, or the response is still being written {@code responseBodyTimeout} after its first byte,
 * the event is published then, from the filter's timer thread, with {@code "complete":false}, the
 * body's {@code ...TimedOut} flag, what was captured so far, the duration so far, and the status if
 * the response is committed ({@code null} if not). Nothing is published for that request afterwards.
 * So a body that never ends, or a stream that never stops, is logged within its timeout, and a slow
 * handler without a pending body is logged when it ends. Bodies are captured by teeing what the
 * application itself reads and writes (its streams, readers and writers, including from other
 * threads through {@code AsyncContext}): the filter never reads a body, never waits for one, and
 * stops copying at {@code maxBodyBytes} or at the timeout.
 *
 * <p><b>Sampling.</b> Each request whose path (within the context) matches a {@link Builder#sample}
 * pattern is kept with that rate (the first match decides; no match: kept). Errors are always kept:
 * a status of 400 or more, an exception, or an incomplete event. A sampled-out request is counted in
 * {@link #sampledOut()}; after the requests have ended, {@code requests() == logged() + dropped() +
 * sampledOut()}.
 *
 * <p><b>Cost.</b> On the request thread, after the chain: one JSON string built (in a per-thread
 * builder) and one {@code publish}, which never blocks under {@code OverflowPolicy.DROP}. Bodies
 * allocate the two wrappers and their copies, only when content types are configured.
 *
 * <p>Only {@code REQUEST} dispatches are logged (an async or error dispatch belongs to the request that
 * was logged). The filter does not own the log: close the log after the container stops.
 */
public final class RequestLogFilter implements Filter {

    /** The request attribute where Spring MVC puts the matched route ({@code HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE}). */
    public static final String SPRING_MVC_BEST_MATCHING_PATTERN = "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

    /** Headers that carry credentials: never logged, refused by {@link Builder#headers}. */
    static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");

    private static final int MAX_BODY_BYTES = 1 << 20;
    private static final Duration MAX_TIMEOUT = Duration.ofHours(1);
    /** A builder that grew past this for a large body is not kept for the next request. */
    private static final int KEPT_BUILDER_CHARS = 16 * 1024;

    private final EventLog<LogEvent> log;
    private final String eventType;
    private final String[] bodyContentTypes;
    final int maxBodyBytes;
    final long requestBodyTimeoutNanos;
    final long responseBodyTimeoutNanos;
    private final String[] headers;
    private final PathPattern[] samplePatterns;
    private final double[] sampleRates;
    private final String templateAttribute;
    final boolean queryString;
    private final ScheduledThreadPoolExecutor timer;
    private final ThreadLocal<StringBuilder> builders = new ThreadLocal<>();
    private final LongAdder requests = new LongAdder();
    private final LongAdder logged = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder sampledOut = new LongAdder();

    private RequestLogFilter(Builder b) {
        this.log = b.log;
        this.eventType = b.eventType;
        this.bodyContentTypes = b.bodyContentTypes;
        this.maxBodyBytes = b.maxBodyBytes;
        this.requestBodyTimeoutNanos = b.requestBodyTimeout.toNanos();
        this.responseBodyTimeoutNanos = b.responseBodyTimeout.toNanos();
        this.headers = b.headers.toArray(String[]::new);
        this.samplePatterns = b.samplePatterns.toArray(PathPattern[]::new);
        this.sampleRates = b.sampleRates.stream().mapToDouble(Double::doubleValue).toArray();
        this.templateAttribute = b.pathTemplateAttribute;
        this.queryString = b.queryString;
        this.timer = bodyContentTypes.length == 0 ? null : newTimer();
    }

    private static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "ringlog-request-log-timer");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true); // completed requests cancel their deadlines: do not keep them queued
        return t;
    }

    /** Starts configuring a filter that publishes to {@code log}. */
    public static Builder builder(EventLog<LogEvent> log) {
        return new Builder(log);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain) throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(resp instanceof HttpServletResponse response)
                || request.getDispatcherType() != DispatcherType.REQUEST) {
            chain.doFilter(req, resp);
            return;
        }
        long start = System.nanoTime();
        if (timer == null) {
            filterPlain(request, response, chain, start);
        } else {
            filterCapturing(request, response, chain, start);
        }
    }

    /** Without body capture: nothing is allocated until the request ends, unless it goes async. */
    private void filterPlain(HttpServletRequest request, HttpServletResponse response, FilterChain chain, long start)
            throws IOException, ServletException {
        Throwable failure = null;
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            if (failure == null && request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new Exchange(this, request, response, start)); // its onComplete publishes
            } else {
                record(request, response, null, start, Exchange.status(response, failure, true), true, failure);
            }
        }
    }

    private void filterCapturing(HttpServletRequest request, HttpServletResponse response, FilterChain chain, long start)
            throws IOException, ServletException {
        Exchange exchange = new Exchange(this, request, response, start);
        Throwable failure = null;
        try {
            chain.doFilter(exchange.wrap(), exchange.capturingResponse());
        } catch (IOException | ServletException | RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            if (failure == null && request.isAsyncStarted()) {
                request.getAsyncContext().addListener(exchange); // its onComplete publishes
            } else {
                exchange.complete(failure);
            }
        }
    }

    /**
     * Stops the timer of body deadlines (waiting at most 1 s for its thread to end); requests still
     * running are published when they complete.
     */
    @Override
    public void destroy() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Requests that ended (or reached a body deadline) and were counted as logged, dropped or sampled out. */
    public long requests() {
        return requests.sum();
    }

    /** Events the log accepted. */
    public long logged() {
        return logged.sum();
    }

    /** Events the log refused (ring full under {@code OverflowPolicy.DROP}, or log closed); also in the log's own stats. */
    public long dropped() {
        return dropped.sum();
    }

    /** Requests not logged because a {@link Builder#sample} rate left them out. */
    public long sampledOut() {
        return sampledOut.sum();
    }

    // ---- called by Exchange

    boolean capturesBodyOf(String contentType) {
        if (contentType == null) {
            return false;
        }
        for (String type : bodyContentTypes) {
            if (ContentTypes.matches(type, contentType)) {
                return true;
            }
        }
        return false;
    }

    /** A body's deadline; null once the filter is destroyed (the request is then published at its completion). */
    Future<?> schedule(Runnable deadline, long delayNanos) {
        try {
            return timer.schedule(deadline, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException destroyed) {
            return null; // the application's read or write must not fail because the container is stopping
        }
    }

    String[] requestHeaderValues(HttpServletRequest request) {
        if (headers.length == 0) {
            return null;
        }
        String[] values = new String[headers.length];
        for (int i = 0; i < headers.length; i++) {
            values[i] = request.getHeader(headers[i]);
        }
        return values;
    }

    /** Called once per request, by the thread that won its publication. */
    void record(Exchange x, boolean complete) {
        Throwable failure = x.failure();
        record(x.request, x.response, x, x.startNanos, Exchange.status(x.response, failure, complete), complete, failure);
    }

    /**
     * Counts the request and publishes its event unless sampled out. With no {@code Exchange} (a plain
     * synchronous request, on its own thread at its end), what the request line says is read from the
     * request now; with one, from what it read when the request entered.
     */
    private void record(HttpServletRequest request, HttpServletResponse response, Exchange x, long start, int status,
                        boolean complete, Throwable failure) {
        requests.increment();
        String uri = x != null ? x.uri : request.getRequestURI();
        if (complete && failure == null && status < 400
                && sampledOut(uri, x != null ? x.contextPathLength : request.getContextPath().length())) {
            sampledOut.increment();
            return;
        }
        long now = System.nanoTime(); // after the sampling: a request left out costs no clock read
        StringBuilder out = builders.get();
        if (out == null || out.capacity() > KEPT_BUILDER_CHARS) {
            out = new StringBuilder(512);
            builders.set(out);
        }
        out.setLength(0);
        out.append('{');
        Json.string(out, "method", x != null ? x.method : request.getMethod());
        Json.string(out, "path", uri);
        Object template = request.getAttribute(templateAttribute);
        if (template != null) {
            Json.string(out, "template", template.toString());
        }
        String query = !queryString ? null : x != null ? x.query : request.getQueryString();
        if (query != null) {
            Json.string(out, "query", query);
        }
        Json.name(out, "status");
        if (status < 0) {
            out.append("null");
        } else {
            out.append(status);
        }
        Json.number(out, "durationMicros", (now - start) / 1_000);
        Json.string(out, "client", x != null ? x.client : request.getRemoteAddr());
        Json.bool(out, "complete", complete);
        if (headers.length > 0) {
            requestHeaders(out, request, x);
            if (complete || response.isCommitted()) { // before that, the application may still be adding headers
                responseHeaders(out, response);
            }
        }
        if (failure != null) {
            Json.string(out, "exception", failure.getClass().getName());
        }
        if (x != null) {
            body(out, "requestBody", "requestBodyTruncated", "requestBodyTimedOut", x.requestBody(now));
            body(out, "responseBody", "responseBodyTruncated", "responseBodyTimedOut", x.responseBody());
        }
        String payload = out.append('}').toString();
        Principal principal = request.getUserPrincipal();
        String actor = principal != null ? principal.getName() : request.getRemoteUser();
        if (log.publish(LogEvent::set, eventType, actor, payload)) {
            logged.increment();
        } else {
            dropped.increment();
        }
    }

    private boolean sampledOut(String uri, int contextPathLength) {
        for (int i = 0; i < samplePatterns.length; i++) {
            if (samplePatterns[i].matches(uri, contextPathLength)) {
                double rate = sampleRates[i];
                return rate < 1.0 && ThreadLocalRandom.current().nextDouble() >= rate;
            }
        }
        return false;
    }

    private void requestHeaders(StringBuilder out, HttpServletRequest request, Exchange x) {
        Json.name(out, "requestHeaders");
        out.append('{');
        for (int i = 0; i < headers.length; i++) {
            String value = x != null ? x.headerValues[i] : request.getHeader(headers[i]);
            if (value != null) {
                Json.string(out, headers[i], value);
            }
        }
        out.append('}');
    }

    private void responseHeaders(StringBuilder out, HttpServletResponse response) {
        Json.name(out, "responseHeaders");
        out.append('{');
        for (String header : headers) {
            String value = response.getHeader(header);
            if (value != null) {
                Json.string(out, header, value);
            }
        }
        out.append('}');
    }

    private static void body(StringBuilder out, String name, String truncated, String timedOut, BodyCapture capture) {
        if (capture == null) {
            return;
        }
        Json.string(out, name, capture.text());
        Json.bool(out, truncated, capture.truncated());
        Json.bool(out, timedOut, capture.timedOut());
    }

    @Override
    public String toString() {
        return "RequestLogFilter[log=" + log.name() + ", eventType=" + eventType + "]";
    }

    /**
     * Configures a {@link RequestLogFilter}. Each value is checked when it is set; a bad one throws
     * {@link IllegalArgumentException} naming the option, the rule and the value.
     */
    public static final class Builder {

        private final EventLog<LogEvent> log;
        private String eventType = "http_request";
        private String[] bodyContentTypes = new String[0];
        private int maxBodyBytes = 8 * 1024;
        private Duration requestBodyTimeout = Duration.ofSeconds(2);
        private Duration responseBodyTimeout = Duration.ofSeconds(3);
        private final Set<String> headers = new LinkedHashSet<>();
        private final List<PathPattern> samplePatterns = new ArrayList<>();
        private final List<Double> sampleRates = new ArrayList<>();
        private String pathTemplateAttribute = SPRING_MVC_BEST_MATCHING_PATTERN;
        private boolean queryString;

        private Builder(EventLog<LogEvent> log) {
            this.log = Objects.requireNonNull(log, "log");
        }

        /** The events' type. Default {@code http_request}. */
        public Builder eventType(String eventType) {
            if (eventType == null || eventType.isBlank()) {
                throw new IllegalArgumentException("eventType must not be empty: eventType=" + quoted(eventType));
            }
            this.eventType = eventType;
            return this;
        }

        /**
         * The content types whose bodies are captured, such as {@code application/json} or {@code text/*}
         * (parameters such as {@code charset} are ignored when matching). Default none: no bodies, no
         * wrappers, no timer thread. Replaces what an earlier call set.
         */
        public Builder bodyContentTypes(String... contentTypes) {
            String[] types = new String[contentTypes.length];
            for (int i = 0; i < contentTypes.length; i++) {
                types[i] = ContentTypes.parse(contentTypes[i]);
            }
            this.bodyContentTypes = types;
            return this;
        }

        /** At most this many bytes of each body are kept (then {@code ...Truncated} is true). Default 8192; 1 to 1 MiB. */
        public Builder maxBodyBytes(int maxBodyBytes) {
            if (maxBodyBytes < 1 || maxBodyBytes > MAX_BODY_BYTES) {
                throw new IllegalArgumentException("maxBodyBytes must be in [1, " + MAX_BODY_BYTES + "]: maxBodyBytes=" + maxBodyBytes);
            }
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /** How long after the request arrives its body is captured, and the event waits for its end. Default 2 s; 1 ms to 1 h. */
        public Builder requestBodyTimeout(Duration timeout) {
            this.requestBodyTimeout = timeout("requestBodyTimeout", timeout);
            return this;
        }

        /** How long after its first byte the response body is captured, and the event waits for its end. Default 3 s; 1 ms to 1 h. */
        public Builder responseBodyTimeout(Duration timeout) {
            this.responseBodyTimeout = timeout("responseBodyTimeout", timeout);
            return this;
        }

        private static Duration timeout(String option, Duration timeout) {
            if (timeout == null || timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException(option + " must be in [1ms, 1h]: " + option + "=" + timeout);
            }
            return timeout;
        }

        /**
         * The request and response headers that are logged (names case-insensitive; the first value of
         * each). Default none. {@code Authorization}, {@code Proxy-Authorization}, {@code Cookie} and
         * {@code Set-Cookie} carry credentials and are refused: they are never logged. Adds to earlier calls.
         */
        public Builder headers(String... names) {
            for (String name : names) {
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException("headers: a header name must not be empty: " + quoted(name));
                }
                String lower = name.strip().toLowerCase(Locale.ROOT);
                if (CREDENTIAL_HEADERS.contains(lower)) {
                    throw new IllegalArgumentException("headers: " + name + " carries credentials and is never logged;"
                            + " remove it (refused: authorization, proxy-authorization, cookie, set-cookie)");
                }
                headers.add(lower);
            }
            return this;
        }

        /**
         * Keeps requests whose path (within the context path) matches {@code pathPattern} with
         * probability {@code rate}: {@code sample("/health", 0.1)} keeps 10% of health checks. Patterns
         * are Ant-style ({@code ?}, {@code *} within a segment, {@code **} across segments) and tried
         * in the order given: the first that matches decides; a path that matches none is kept.
         * Errors (status 400 or more, an exception) are kept whatever the rate.
         */
        public Builder sample(String pathPattern, double rate) {
            String option = "sample(" + quoted(pathPattern) + ", " + rate + ")";
            if (!(rate >= 0.0 && rate <= 1.0)) {
                throw new IllegalArgumentException("sample rate must be in [0.0, 1.0]: " + option);
            }
            samplePatterns.add(PathPattern.parse(pathPattern, option));
            sampleRates.add(rate);
            return this;
        }

        /**
         * The request attribute that holds the matched route (the {@code template}). Default Spring
         * MVC's {@link #SPRING_MVC_BEST_MATCHING_PATTERN}.
         */
        public Builder pathTemplateAttribute(String attribute) {
            if (attribute == null || attribute.isBlank()) {
                throw new IllegalArgumentException("pathTemplateAttribute must not be empty: pathTemplateAttribute="
                        + quoted(attribute));
            }
            this.pathTemplateAttribute = attribute;
            return this;
        }

        /** Whether the query string is logged ({@code query}). Default false: query strings often carry tokens. */
        public Builder queryString(boolean queryString) {
            this.queryString = queryString;
            return this;
        }

        public RequestLogFilter build() {
            return new RequestLogFilter(this);
        }

        private static String quoted(String s) {
            return s == null ? "null" : "\"" + s + "\"";
        }
    }
}
