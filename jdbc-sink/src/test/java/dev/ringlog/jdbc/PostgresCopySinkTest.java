package dev.ringlog.jdbc;

import dev.ringlog.LogEvent;
import javax.sql.DataSource;

/** The sink contract on PostgreSQL through the COPY write path (not the default; kept measured and correct). */
class PostgresCopySinkTest extends PostgresSinkTest {

    @Override
    JdbcSink<LogEvent> standardSink(DataSource ds) {
        return JdbcSink.forLogEvents(ds).table(table).path(WritePath.POSTGRES_COPY).build();
    }

    @Override
    int eventsPerProducer() {
        return 100_000;
    }
}
