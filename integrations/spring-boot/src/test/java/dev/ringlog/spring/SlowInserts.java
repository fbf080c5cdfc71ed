package dev.ringlog.spring;

import java.sql.Connection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.h2.api.Trigger;

/**
 * An H2 trigger that makes each insert into its table take 5 ms: a slow database, so that events are
 * still pending when a test closes the context. Install with {@link #install}.
 */
public final class SlowInserts implements Trigger {

    static final long NANOS_PER_ROW = TimeUnit.MILLISECONDS.toNanos(5);

    /** Adds the trigger to {@code table} (which must exist). */
    static void install(Connection connection, String table) throws Exception {
        try (var s = connection.createStatement()) {
            s.execute("CREATE TRIGGER " + table + "_slow BEFORE INSERT ON " + table + " FOR EACH ROW CALL '"
                    + SlowInserts.class.getName() + "'");
        }
    }

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) {
        LockSupport.parkNanos(NANOS_PER_ROW); // the slowness itself: there is nothing to wait for
    }
}
