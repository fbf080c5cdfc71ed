package dev.ringlog.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import java.time.Duration;
import java.util.Map;

/**
 * The child JVM of {@link JournalKillTest}: publishes numbered events to PostgreSQL until it is killed,
 * and says on stdout how far it got: {@code accepted N} after each hundredth publish returned true,
 * and, with a journal, {@code journalled N} once the journal has acknowledged a durable mark published
 * after event N (the journal is in order: everything before the mark is in it too).
 *
 * <p>Arguments: table, actor, journal directory ({@code -} for none), sync policy.
 */
public final class JournalKillChild {

    private JournalKillChild() {
    }

    public static void main(String[] args) {
        String table = args[0];
        String actor = args[1];
        boolean journal = !"-".equals(args[2]);
        HikariDataSource pool = TestServer.POSTGRES.pool(table);
        EventLog.Builder<LogEvent> builder = EventLog.builder(LogEvent::new, JdbcSink.forLogEvents(pool).table(table).build())
                .name("kill-child").ringSize(8_192).overflow(OverflowPolicy.BLOCK).linger(Duration.ofMillis(20))
                .shutdownHook(false).jmx(false);
        if (journal) {
            builder.configure(Map.of("ringlog.journal.dir", args[2], "ringlog.journal.sync", args[3],
                    "ringlog.journal.ack", "journal"));
        }
        EventLog<LogEvent> log = builder.start();
        System.out.println("started");
        for (long i = 0; ; i++) {
            if (!log.publish(LogEvent::set, "kill", actor, Long.toString(i))) {
                throw new IllegalStateException("refused under BLOCK: " + log.stats());
            }
            if (i % 100 == 99) {
                System.out.println("accepted " + i);
                if (journal) {
                    long mark = i;
                    log.publishDurable(LogEvent::set, "mark", actor, Long.toString(i))
                            .thenRun(() -> System.out.println("journalled " + mark));
                }
            }
        }
    }
}
