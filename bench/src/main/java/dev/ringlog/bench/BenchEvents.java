package dev.ringlog.bench;

import java.time.Instant;

/** The event every benchmark publishes: the fields of a page view, as in the story in DESIGN.md. */
final class BenchEvents {

    static final String TYPE = "page_view";
    static final String ACTOR = "user-4711";
    static final String PAYLOAD = "{\"path\":\"/products/42\",\"referrer\":\"/home\",\"ms\":12}";

    private BenchEvents() {
    }

    /** The current time in microseconds since the epoch, as {@code LogEvent.set} stamps it. */
    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /** An event as the classic queue-and-thread design carries it: one immutable object per event. */
    record QueuedEvent(long id, long epochMicros, String type, String actor, String payload) {
    }
}
