package dev.ringlog.jdbc;

import java.sql.SQLException;

/**
 * One way of sending rows over the sink's connection: statements prepared once per connection, rows
 * added one at a time, sent together by {@link #execute} inside the sink's transaction. Called on the
 * sink thread only.
 */
interface Batch<E> {

    /** Adds one row; copies what it needs from the event. */
    void add(E event) throws SQLException;

    /** Sends every row added since the last execute or discard; the sink commits afterwards. */
    void execute() throws SQLException;

    /** Forgets the rows added since the last execute, after a failure; never throws. */
    void discard();

    /**
     * Bounds each statement's execution ({@link java.sql.Statement#setQueryTimeout}); called once,
     * right after the batch is opened.
     */
    void queryTimeout(int seconds) throws SQLException;

    /**
     * Undoes what {@link #queryTimeout} changed in the session, before a healthy connection goes back to
     * the pool (not before an eviction: a broken connection would make it wait for the network timeout).
     */
    default void beforeReturn() throws SQLException {
    }

    /** Releases the statements; never throws. */
    void close();

    /** Opens a {@link Batch} on a connection. */
    @FunctionalInterface
    interface Factory<E> {
        Batch<E> open(java.sql.Connection connection, Dialect dialect) throws SQLException;
    }
}
