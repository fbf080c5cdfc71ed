package dev.ringlog;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Records values into a {@link Distribution}. Single writer (the sink thread, or a sync publisher
 * holding the log's lock): each field is a plain read and a release store ({@code lazySet}), no atomic
 * read-modify-write and no allocation. A reader may see count, total and max of slightly different
 * moments, never a torn value.
 */
final class Recorder {

    private final AtomicLong count = new AtomicLong();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong max = new AtomicLong();

    void record(long value) {
        total.lazySet(total.get() + value);
        if (value > max.get()) {
            max.lazySet(value);
        }
        count.lazySet(count.get() + 1);
    }

    Distribution snapshot() {
        return new Distribution(count.get(), total.get(), max.get());
    }
}
