package dev.ringlog.jdbc;

import dev.ringlog.LogEvent;
import javax.sql.DataSource;

/** The sink contract on PostgreSQL through the multi-row write path (not the default, which is COPY). */
class PostgresMultiRowSinkTest extends PostgresSinkTest {

    @Override
    JdbcSink<LogEvent> standardSink(DataSource ds) {
        return JdbcSink.forLogEvents(ds).table(table).writePath(WritePath.MULTI_ROW).build();
    }

    @Override
    int eventsPerProducer() {
        return 100_000;
    }
}
