package dev.ringlog.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** A JDBC batch on one prepared statement: add = bind + {@code addBatch}, execute = {@code executeBatch}. */
final class StatementBatch<E> implements Batch<E> {

    private final PreparedStatement statement;
    private final JdbcSink.Binder<? super E> binder;

    StatementBatch(PreparedStatement statement, JdbcSink.Binder<? super E> binder) {
        this.statement = statement;
        this.binder = binder;
    }

    @Override
    public void add(E event) throws SQLException {
        binder.bind(statement, event);
        statement.addBatch();
    }

    @Override
    public void execute() throws SQLException {
        statement.executeBatch();
    }

    @Override
    public void discard() {
        try {
            statement.clearBatch();
        } catch (SQLException | RuntimeException ignored) {
            // the connection is going away or the driver already cleared it
        }
    }

    @Override
    public void queryTimeout(int seconds) throws SQLException {
        statement.setQueryTimeout(seconds);
    }

    @Override
    public void close() {
        try {
            statement.close();
        } catch (SQLException | RuntimeException ignored) {
            // closing a statement of a broken connection
        }
    }
}
