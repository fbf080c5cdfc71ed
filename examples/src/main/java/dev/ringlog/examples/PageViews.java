package dev.ringlog.examples;

import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.jdbc.JdbcSink;
import dev.ringlog.micrometer.RinglogMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/** How the demo's request filter records a page view: a synchronous insert, or ringlog. */
interface PageViews extends AutoCloseable {

    /** Called on the request thread, before the page is served. */
    void record(String visitor, String path);

    /** Waits until everything recorded is in the table, then says how every page view ended. */
    Accounting finish();

    @Override
    default void close() {
    }

    /** How the page views ended: written to the table, dropped, failed, or still pending. */
    record Accounting(long written, long dropped, long failed, long pending) {
    }

    static String json(String path) {
        return "{\"path\":\"" + path + "\"}";
    }

    /** The way the story's web application did it: insert and commit on the request thread. */
    final class SyncInsert implements PageViews {
        private final SyncInserts inserts;
        private final AtomicLong written = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();

        SyncInsert(DataSource dataSource, String table) throws SQLException {
            this.inserts = new SyncInserts(dataSource, table);
        }

        @Override
        public void record(String visitor, String path) {
            try {
                inserts.insert("page_view", visitor, json(path));
                written.incrementAndGet();
            } catch (SQLException e) {
                failed.incrementAndGet();
            }
        }

        @Override
        public Accounting finish() {
            return new Accounting(written.get(), 0, failed.get(), 0);
        }
    }

    /** ringlog: publish to the ring on the request thread; one sink thread inserts in batches; its meters in {@code registry}. */
    final class RingLog implements PageViews {
        private final EventLog<LogEvent> log;

        RingLog(DataSource dataSource, String table, MeterRegistry registry) {
            JdbcSink<LogEvent> sink = JdbcSink.forLogEvents(dataSource).table(table).build();
            this.log = EventLog.builder(LogEvent::new, sink).name("page-views").start();
            // tag::metrics[]
            new RinglogMetrics(log).bindTo(registry);   // ringlog.* meters, tagged name=page-views
            // end::metrics[]
        }

        @Override
        public void record(String visitor, String path) {
            log.publish(LogEvent::set, "page_view", visitor, json(path));
        }

        @Override
        public Accounting finish() {
            log.close(); // drains the ring and commits the last batch
            EventLog.Stats s = log.stats();
            return new Accounting(s.written(), s.dropped(), s.failed(), s.pending());
        }

        @Override
        public void close() {
            log.close();
        }
    }
}
