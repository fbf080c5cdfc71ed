package dev.ringlog;

/** A test event that carries its own invariants: which producer published it, and its index there. */
final class TestEvent {
    int producer;
    long index;
    String text;

    void set(int producer, long index) {
        this.producer = producer;
        this.index = index;
    }

    static void write(TestEvent e, Integer producer, Long index) {
        e.set(producer, index);
    }

    /** A copy of what a sink must keep: the slot is reused after commit. */
    record Copy(int producer, long index) {
        static Copy of(TestEvent e) {
            return new Copy(e.producer, e.index);
        }
    }
}
