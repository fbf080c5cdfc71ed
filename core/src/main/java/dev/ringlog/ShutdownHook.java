package dev.ringlog;

/** Closes a log that was not closed when the JVM exits. On by default ({@code shutdownHook(false)} turns it off). */
final class ShutdownHook {

    private final Thread thread;

    ShutdownHook(EventLog<?> log) {
        this.thread = new Thread(log::close, "ringlog-" + log.name() + "-shutdown");
    }

    void register() {
        Runtime.getRuntime().addShutdownHook(thread);
    }

    /** Unregisters unless the JVM is already shutting down (then the hook is what is closing the log). */
    void unregister() {
        try {
            Runtime.getRuntime().removeShutdownHook(thread);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: nothing to remove
        }
    }
}
