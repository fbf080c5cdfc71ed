package dev.ringlog;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Keeps a copy of every committed event, in commit order. Optional hooks make it fail: before each
 * add (a failure there means "this event"), and before each flush. A failed add or flush discards
 * the uncommitted batch, as the Sink contract asks.
 */
class RecordingSink<E, C> implements Sink<E> {

    interface Hook<E> {
        void run(E event) throws Exception;
    }

    private final Function<E, C> copier;
    private final List<C> batch = new ArrayList<>();
    final List<C> committed = new CopyOnWriteArrayList<>();
    final List<Thread> threads = new CopyOnWriteArrayList<>();
    volatile Hook<E> beforeAdd = e -> { };
    volatile Hook<List<C>> beforeFlush = b -> { };
    volatile boolean closed;

    RecordingSink(Function<E, C> copier) {
        this.copier = copier;
    }

    static RecordingSink<TestEvent, TestEvent.Copy> ofTestEvents() {
        return new RecordingSink<>(TestEvent.Copy::of);
    }

    @Override
    public void add(E event) throws Exception {
        if (threads.isEmpty()) {
            threads.add(Thread.currentThread());
        }
        try {
            beforeAdd.run(event);
        } catch (Exception | Error e) {
            batch.clear();
            throw e;
        }
        batch.add(copier.apply(event));
    }

    @Override
    public void flush() throws Exception {
        try {
            beforeFlush.run(batch);
        } catch (Exception | Error e) {
            batch.clear();
            throw e;
        }
        committed.addAll(batch);
        batch.clear();
    }

    @Override
    public void close() {
        closed = true;
    }
}
