package dev.ringlog.servlet;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One request on its way through the filter, until its event is published. What the request line
 * says is read on the request thread when the request enters; the event is published once, by
 * whichever comes first: completion (the filter chain returns, or an async request completes), or the
 * deadline of a body capture that is not finished (then on the timer thread, marked incomplete). A
 * compare-and-set on {@code published} decides which: one owner per outcome.
 */
final class Exchange implements AsyncListener {

    private static final VarHandle PUBLISHED;
    private static final int OPEN = 0;
    private static final int TIMER_PUBLISHING = 1;
    private static final int DONE = 2;
    /** How long completion waits for the timer's publication of the same request to finish. */
    private static final long TIMER_PUBLICATION_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    static {
        try {
            PUBLISHED = MethodHandles.lookup().findVarHandle(Exchange.class, "published", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final RequestLogFilter filter;
    final HttpServletRequest request;
    final HttpServletResponse response;
    final long startNanos;
    final String method;
    final String uri;
    final int contextPathLength;
    final String query;
    final String client;
    final String[] headerValues;
    private volatile int published;
    private volatile Throwable failure;
    private volatile BodyCapture requestBody;
    private volatile BodyCapture responseBody;
    private volatile Future<?> requestTimer;
    private volatile Future<?> responseTimer;
    private CapturingResponse capturingResponse;

    Exchange(RequestLogFilter filter, HttpServletRequest request, HttpServletResponse response, long startNanos) {
        this.filter = filter;
        this.request = request;
        this.response = response;
        this.startNanos = startNanos;
        this.method = request.getMethod();
        this.uri = request.getRequestURI();
        this.contextPathLength = request.getContextPath().length();
        this.query = filter.queryString ? request.getQueryString() : null;
        this.client = request.getRemoteAddr();
        this.headerValues = filter.requestHeaderValues(request);
    }

    /** The wrappers the application gets when bodies are captured. */
    CapturingRequest wrap() {
        capturingResponse = new CapturingResponse(response, this);
        return new CapturingRequest(request, this);
    }

    CapturingResponse capturingResponse() {
        return capturingResponse;
    }

    // ---- bodies: called on the thread that reads or writes them

    /** Starts capturing the request body if its content type is configured; null if not. */
    BodyCapture startRequestBody(boolean chars) {
        if (!filter.capturesBodyOf(request.getContentType())) {
            return null;
        }
        BodyCapture capture = new BodyCapture(filter.maxBodyBytes, startNanos, filter.requestBodyTimeoutNanos,
                chars ? StandardCharsets.UTF_8 : charset(request.getCharacterEncoding()));
        requestBody = capture;
        requestTimer = filter.schedule(this::requestBodyDeadline, capture.deadlineNanos() - System.nanoTime());
        return capture;
    }

    /** Starts capturing the response body (at its first write) if its content type is configured; null if not. */
    BodyCapture startResponseBody(boolean chars) {
        if (!filter.capturesBodyOf(response.getContentType())) {
            return null;
        }
        BodyCapture capture = new BodyCapture(filter.maxBodyBytes, System.nanoTime(), filter.responseBodyTimeoutNanos,
                chars ? StandardCharsets.UTF_8 : charset(response.getCharacterEncoding()));
        responseBody = capture;
        responseTimer = filter.schedule(this::responseBodyDeadline, filter.responseBodyTimeoutNanos);
        return capture;
    }

    void clearResponseBody() {
        BodyCapture capture = responseBody;
        if (capture != null) {
            capture.clear();
        }
    }

    private static Charset charset(String name) {
        try {
            return name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
        } catch (IllegalArgumentException unknown) {
            return StandardCharsets.UTF_8;
        }
    }

    // ---- the timer thread

    private void requestBodyDeadline() {
        BodyCapture capture = requestBody;
        // Only a body the application is still waiting for holds the request: one it stopped reading
        // early (a parser done at the closing brace of a chunked body) leaves the event to completion.
        if (capture.waitingInRead() && capture.timeOutIfUnfinished(capture.deadlineNanos())) {
            publishIncomplete();
        }
    }

    private void responseBodyDeadline() {
        BodyCapture capture = responseBody;
        capture.timeOutIfUnfinished(capture.deadlineNanos());
        publishIncomplete();
    }

    private void publishIncomplete() {
        if (PUBLISHED.compareAndSet(this, OPEN, TIMER_PUBLISHING)) {
            try {
                filter.record(this, false);
            } finally {
                published = DONE;
            }
        }
    }

    // ---- completion

    /** The filter chain returned or threw ({@code failure}) and the request is not async. */
    void complete(Throwable failure) {
        if (failure != null) {
            this.failure = failure;
        }
        cancelTimers();
        if (PUBLISHED.compareAndSet(this, OPEN, DONE)) {
            filter.record(this, true);
            return;
        }
        // The timer is publishing this request's event, reading the request and the response, which the
        // container recycles once completion returns: wait for it (microseconds of JSON), within a bound.
        long deadline = System.nanoTime() + TIMER_PUBLICATION_WAIT_NANOS;
        while (published == TIMER_PUBLISHING && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
    }

    private void cancelTimers() {
        Future<?> t = requestTimer;
        if (t != null) {
            t.cancel(false);
        }
        t = responseTimer;
        if (t != null) {
            t.cancel(false);
        }
    }

    // ---- what the event says, read by the thread that publishes

    Throwable failure() {
        return failure;
    }

    /**
     * The status the client gets: what the application set, or 500 when an exception ends a request
     * whose response is not committed (the container sends 500 then); -1 when not known yet (an
     * incomplete request whose response is not committed).
     */
    static int status(HttpServletResponse response, Throwable failure, boolean complete) {
        if (!complete && !response.isCommitted()) {
            return -1;
        }
        return failure != null && !response.isCommitted() ? HttpServletResponse.SC_INTERNAL_SERVER_ERROR : response.getStatus();
    }

    BodyCapture requestBody(long nowNanos) {
        BodyCapture capture = requestBody;
        if (capture != null) {
            capture.timeOutIfUnfinished(nowNanos);
        }
        return capture;
    }

    BodyCapture responseBody() {
        return responseBody;
    }

    // ---- async requests: the container calls these on its threads

    @Override
    public void onComplete(AsyncEvent event) {
        complete(null);
    }

    @Override
    public void onError(AsyncEvent event) {
        Throwable t = event.getThrowable();
        failure = t != null ? t : new IllegalStateException("async request failed");
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        // The container then completes the request (or dispatches to an error page): onComplete publishes.
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        event.getAsyncContext().addListener(this); // startAsync again drops the listeners: stay registered
    }
}
