package dev.ringlog.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.io.TempDir;

/** The sink contract on an H2 file database in a temporary directory, through {@link EmbeddedH2}. */
class H2SinkTest extends SinkContractTest {

    @TempDir
    Path directory;

    @Override
    HikariDataSource newPool(String tag) {
        return JdbcSink.embeddedH2(directory).name(tag).open();
    }

    @Override
    void prepareBreaking(FaultyDataSource faulty, HikariDataSource pool, String tag) {
        // H2 is in-process: break the connection under the sink as its batch starts. Evict it from the
        // pool first, as HikariCP would have had it been a network failure.
        faulty.breaker = c -> {
            try {
                pool.evictConnection(c);
                c.unwrap(JdbcConnection.class).close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @Override
    int breakSinkConnection(FaultyDataSource faulty, String tag) {
        int before = faulty.brokenBatches.get();
        faulty.breakNextBatch.set(true);
        return before >= 0 ? 1 : 0;
    }

    static Connection unused(Connection c) {
        return c;
    }
}
