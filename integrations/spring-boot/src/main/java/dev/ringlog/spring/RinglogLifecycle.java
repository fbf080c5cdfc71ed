package dev.ringlog.spring;

import dev.ringlog.EventLog;
import org.springframework.context.SmartLifecycle;

/**
 * Closes the log when the application context closes, at a phase of its own: after the web server has
 * stopped (its graceful shutdown, {@code DEFAULT_PHASE - 1024}, lets in-flight requests finish and log;
 * the server itself stops at {@code DEFAULT_PHASE - 2048}), and before any bean is destroyed, so before
 * the DataSource closes. The close drains and writes every accepted event within
 * {@code ringlog.shutdown-timeout}, on the thread closing the context; it is synchronous, so Spring's
 * per-phase timeout does not cut it short. The log's own JVM shutdown hook is off: Boot's hook closes
 * the context, and the context closes the log, in this order.
 */
final class RinglogLifecycle implements SmartLifecycle {

    /** Stopped after both web server phases (lower phases stop later), before the phase-0 beans. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final EventLog<?> log;

    RinglogLifecycle(EventLog<?> log) {
        this.log = log;
    }

    /** Nothing to do: the log started with its bean. */
    @Override
    public void start() {
    }

    @Override
    public void stop() {
        log.close();
    }

    /** Running until closed: a context stopped and started again keeps its log closed. */
    @Override
    public boolean isRunning() {
        return !log.isClosed();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
