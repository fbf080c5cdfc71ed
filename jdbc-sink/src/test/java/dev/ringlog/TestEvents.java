package dev.ringlog;

/** Test access to the engine-stamped fields of {@link LogEvent}, for sinks driven without an EventLog. */
public final class TestEvents {

    private TestEvents() {
    }

    public static LogEvent event(long id, long micros, String type, String actor, String payload) {
        LogEvent e = new LogEvent();
        e.set(type, actor, payload);
        e.timestamp(micros);
        e.id(id);
        return e;
    }
}
