package dev.ringlog.bench;

import dev.ringlog.bench.BenchEvents.QueuedEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import javax.sql.DataSource;

/**
 * The classic queue-and-thread design of {@link EndToEndBenchmark}: an {@code ArrayBlockingQueue} of
 * 65,536 event objects ({@code put} waits when it is full) and one writer thread on one pooled
 * connection that takes up to {@value EndToEndBenchmark#BATCH} events at a time ({@code take} +
 * {@code drainTo}), hands them to its {@link Statements} and commits.
 */
final class QueueWriter {

    /** How the writer sends one batch (not committed) on its connection. */
    interface Statements extends AutoCloseable {
        void write(List<QueuedEvent> batch) throws SQLException;

        @Override
        void close() throws SQLException;
    }

    /** Prepares the writer's statements on its connection. */
    interface Prepare {
        Statements on(Connection c) throws SQLException;
    }

    private final ArrayBlockingQueue<QueuedEvent> queue = new ArrayBlockingQueue<>(65_536);
    private final DataSource dataSource;
    private final Prepare prepare;
    private final Thread thread;
    private volatile long committed;
    private volatile Throwable failure;

    private QueueWriter(DataSource dataSource, String name, Prepare prepare) {
        this.dataSource = dataSource;
        this.prepare = prepare;
        this.thread = new Thread(this::write, name);
        thread.setDaemon(true);
    }

    static QueueWriter start(DataSource dataSource, String name, Prepare prepare) {
        QueueWriter w = new QueueWriter(dataSource, name, prepare);
        w.thread.start();
        return w;
    }

    /** Puts {@code db.events} new events (ids 0 to events - 1) from {@code db.producers} threads and waits until all are committed. */
    long publishAndAwait(EndToEndBenchmark.Db db, String system) throws InterruptedException {
        EndToEndBenchmark.fromProducers(db, i -> {
            try {
                queue.put(new QueuedEvent(i, BenchEvents.nowMicros(), BenchEvents.TYPE, BenchEvents.ACTOR, BenchEvents.PAYLOAD));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            return true;
        });
        return EndToEndBenchmark.awaitCommitted(db.events, () -> committed, () -> failure, 1_000, system);
    }

    private void write() {
        List<QueuedEvent> batch = new ArrayList<>(EndToEndBenchmark.BATCH);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statements statements = prepare.on(c)) {
                while (true) {
                    batch.add(queue.take());
                    queue.drainTo(batch, EndToEndBenchmark.BATCH - 1);
                    statements.write(batch);
                    c.commit();
                    committed += batch.size(); // one writer
                    batch.clear();
                }
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Stops the writer thread (what it took and did not commit is lost: call after {@link #publishAndAwait}). */
    void stop() throws InterruptedException {
        thread.interrupt();
        thread.join(30_000);
    }
}
