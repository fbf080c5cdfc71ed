package dev.ringlog.examples;

// tag::first[]
import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.jdbc.JdbcSink;
import java.nio.file.Path;

public class FirstLog {
    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "ringlog-data");
        try (HikariDataSource db = JdbcSink.embeddedH2(dir).open()) {   // the file dir/ringlog.mv.db; or your own pool
            JdbcSink<LogEvent> sink = JdbcSink.forLogEvents(db).table("page_views").build();   // creates the table
            EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink).name("first").start();

            for (int i = 0; i < 1_000; i++) {
                log.publish(LogEvent::set, "page_view", "user-" + i % 10, "{\"path\":\"/home\"}");   // allocates nothing
            }

            log.close();                        // writes what is left (within shutdownTimeout), closes the sink
            System.out.println(log.stats());    // accepted == written + failed + pending; pending == 0 now
        }                                       // then the pool, which closes the database file
    }
}
// end::first[]
