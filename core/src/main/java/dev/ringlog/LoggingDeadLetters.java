package dev.ringlog;

import java.lang.System.Logger.Level;

/** The default dead-letter handler: a warning through {@code System.Logger}, at most one per 10 s. */
final class LoggingDeadLetters implements DeadLetterHandler<Object> {

    private static final System.Logger LOG = System.getLogger(EventLog.class.getName());

    private final String name;
    private final RateLimit rate = new RateLimit();

    LoggingDeadLetters(String name) {
        this.name = name;
    }

    @Override
    public void handle(Object event, Throwable cause) {
        if (rate.allow(System.nanoTime())) {
            long more = rate.suppressed();
            LOG.log(Level.WARNING, () -> "ringlog[" + name + "]: event not written and no deadLetters handler set ("
                    + more + " more since the last message): " + event, cause);
        }
    }
}
