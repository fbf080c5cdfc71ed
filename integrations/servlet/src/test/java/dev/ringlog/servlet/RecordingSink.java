package dev.ringlog.servlet;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ringlog.LogEvent;
import dev.ringlog.Sink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A sink that keeps what it is given (type, actor and parsed payload), for the test to wait on and read. */
final class RecordingSink implements Sink<LogEvent> {

    record Event(String type, String actor, JsonObject payload) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    @Override
    public void add(LogEvent event) {
        // Parsing here proves every payload is valid JSON; a failure is dead-lettered and missing from the count.
        events.add(new Event(event.type(), event.actor(), JsonParser.parseString(event.payload()).getAsJsonObject()));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    /** The next event, waiting at most {@code seconds}; fails if none comes. */
    Event next(long seconds) throws InterruptedException {
        Event e = events.poll(seconds, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no event within " + seconds + " s");
        }
        return e;
    }

    /** The next event within {@code millis}, or null: for asserting that none comes in that time. */
    Event poll(long millis) throws InterruptedException {
        return events.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Everything recorded so far (call after {@code log.flush}). */
    List<Event> drain() {
        List<Event> out = new ArrayList<>();
        events.drainTo(out);
        return out;
    }
}
