package dev.ringlog.spring;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Counts rows with a query on a connection of the test's own (not the application's pools). */
public final class Rows {

    private Rows() {
    }

    /** The first column of the first row of {@code sql}: a count. */
    public static long count(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
