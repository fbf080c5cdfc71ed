package dev.ringlog.examples;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The way the story's web application logged: one insert and one commit per event, on the caller's
 * thread, into a table laid out like the one {@code JdbcSink} creates on H2.
 */
final class SyncInserts {

    private final DataSource dataSource;
    private final String insert;
    private final AtomicLong ids = new AtomicLong();

    SyncInserts(DataSource dataSource, String table) throws SQLException {
        this.dataSource = dataSource;
        this.insert = "INSERT INTO " + table + " (id, ts, type, actor, payload) VALUES (?, ?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + table + " (id BIGINT NOT NULL PRIMARY KEY,"
                    + " ts TIMESTAMP(6) NOT NULL, type VARCHAR(255), actor VARCHAR(255), payload CHARACTER VARYING)");
            s.execute("CREATE INDEX IF NOT EXISTS " + table + "_ts_idx ON " + table + " (ts)");
            s.execute("CREATE INDEX IF NOT EXISTS " + table + "_type_idx ON " + table + " (type)");
            c.commit();
        }
    }

    /** Inserts and commits one row; returns once the database has committed it. */
    void insert(String type, String actor, String payload) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(insert)) {
            ps.setLong(1, ids.incrementAndGet());
            ps.setTimestamp(2, new Timestamp(System.currentTimeMillis()));
            ps.setString(3, type);
            ps.setString(4, actor);
            ps.setString(5, payload);
            ps.executeUpdate();
            c.commit();
        }
    }
}
