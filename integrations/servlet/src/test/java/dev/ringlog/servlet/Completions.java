package dev.ringlog.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A filter outside the request-log filter that counts requests whose filter chain has returned: once
 * it has, the request-log filter's completion has run too. For tests that must wait for a request's
 * end on the server, not for its event. Also counts them by status and path, the server's own account
 * (a client may send a request twice: the JDK's HttpClient retries a GET whose connection closed).
 */
final class Completions implements Filter {

    private final Semaphore ended = new Semaphore(0);
    private final Map<String, Integer> served = new ConcurrentHashMap<>();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        boolean thrown = true;
        try {
            chain.doFilter(request, response);
            thrown = false;
        } finally {
            int status = thrown ? 500 : ((HttpServletResponse) response).getStatus();
            served.merge(status + " " + ((HttpServletRequest) request).getRequestURI(), 1, Integer::sum);
            ended.release();
        }
    }

    /** How many requests of {@code path} ended with {@code status} (500 for an exception). */
    int served(int status, String path) {
        return served.getOrDefault(status + " " + path, 0);
    }

    /** How many requests ended. */
    int served() {
        return served.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Waits for {@code n} more requests to end; fails after {@code seconds}. */
    void await(int n, long seconds) throws InterruptedException {
        if (!ended.tryAcquire(n, seconds, TimeUnit.SECONDS)) {
            throw new AssertionError(n + " requests did not end on the server within " + seconds + " s");
        }
    }
}
