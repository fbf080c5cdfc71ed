package dev.ringlog.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A filter outside the request-log filter that counts requests whose filter chain has returned: once
 * it has, the request-log filter's completion has run too. For tests that must wait for a request's
 * end on the server, not for its event.
 */
final class Completions implements Filter {

    private final Semaphore ended = new Semaphore(0);

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        try {
            chain.doFilter(request, response);
        } finally {
            ended.release();
        }
    }

    /** Waits for {@code n} more requests to end; fails after {@code seconds}. */
    void await(int n, long seconds) throws InterruptedException {
        if (!ended.tryAcquire(n, seconds, TimeUnit.SECONDS)) {
            throw new AssertionError(n + " requests did not end on the server within " + seconds + " s");
        }
    }
}
