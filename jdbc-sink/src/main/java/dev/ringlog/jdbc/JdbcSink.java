package dev.ringlog.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.ProxyConnection;
import dev.ringlog.LogEvent;
import dev.ringlog.Sink;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.ToLongFunction;
import javax.sql.DataSource;

/**
 * A {@link Sink} that writes events to a database table over JDBC, one transaction per batch.
 *
 * <pre>{@code
 * JdbcSink<LogEvent> sink = JdbcSink.forLogEvents(dataSource).table("analytics_events").build();
 * EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink).name("analytics").start();
 * }</pre>
 *
 * <p>Called on the sink thread only (in sync mode, by one publisher at a time): the sink holds one
 * connection taken from the {@link DataSource} (use a pool: HikariCP, or {@link #embeddedH2}), with
 * auto-commit off and its statements prepared once per connection. {@link #add} binds the event's
 * values as parameters into a JDBC batch (custom statements), or copies them for the standard table's
 * {@link WritePath} (the fastest measured per database: a JDBC batch on H2, COPY on PostgreSQL,
 * multi-row statements on MariaDB/MySQL); {@link #flush} executes the batch and commits. Values are always bound as parameters, never formatted into SQL. When
 * either fails, the sink rolls back and forgets the batch (the engine re-adds the events), and when
 * the failure is retryable it evicts the connection from the pool (it may be dead) and takes a new
 * one on the next {@code add}.
 *
 * <p>Every call to the database is bounded, so that a half-open connection (the peer gone without a
 * reset) fails an attempt instead of blocking the sink thread for the kernel's retransmission timeout
 * (about 15 minutes on Linux): each connection gets a network timeout
 * ({@link Connection#setNetworkTimeout}, default {@value #DEFAULT_NETWORK_TIMEOUT_SECONDS} s) and each
 * statement a query timeout ({@link Statement#setQueryTimeout}, default
 * {@value #DEFAULT_QUERY_TIMEOUT_SECONDS} s); taking a connection is bounded by the data source
 * (HikariCP's {@code connectionTimeout}). A new connection is checked with
 * {@link Connection#isValid} before use: a pooled connection that died while idle (a restarted
 * server, a killed session) is evicted and another taken, up to {@value #CONNECT_TRIES} in a row.
 *
 * <p>The standard table ({@link #forLogEvents}) is looked up in the JDBC metadata and, when missing,
 * created with its indexes (unless {@link TableBuilder#createTable(boolean) createTable(false)}), by
 * {@link TableBuilder#build()} if the database answers, else by the first write once it does; a table
 * that exists needs no DDL, so a role that may only {@code INSERT} and {@code SELECT} on it works.
 * Its {@code id} is the key, so no insert can duplicate a row. A first attempt sends plain
 * {@code INSERT}s (or COPY), which are faster; an attempt that re-delivers events of a failed one
 * sends the idempotent insert ({@code ON CONFLICT (id) DO NOTHING}, H2's {@code MERGE ... KEY (id)},
 * MariaDB's {@code ON DUPLICATE KEY UPDATE id = id}), which skips a row already there: a batch retried
 * after an ambiguous commit (committed, but the answer was lost) adds no duplicate rows and loses
 * none. A plain attempt that meets a row already there (a journal replay of a committed event) fails
 * on the key, retryably, and its retry is idempotent.
 * Custom statements ({@link #builder}) get the same transactions and retries; idempotency is then
 * up to the statement.
 *
 * <p>The sink does not close the {@code DataSource}: the application owns it.
 *
 * @param <E> the event type
 */
public final class JdbcSink<E> implements Sink<E> {

    private static final System.Logger LOG = System.getLogger(JdbcSink.class.getName());

    /** The default table of {@link #forLogEvents}. */
    public static final String DEFAULT_TABLE = "ringlog_events";

    /** The default {@link TableBuilder#networkTimeout network timeout}, in seconds. */
    public static final int DEFAULT_NETWORK_TIMEOUT_SECONDS = 60;

    /** The default {@link TableBuilder#queryTimeout query timeout}, in seconds. */
    public static final int DEFAULT_QUERY_TIMEOUT_SECONDS = 30;

    /** Connections taken in a row, each found dead by {@code isValid}, before an attempt to connect fails. */
    static final int CONNECT_TRIES = 4;

    /** The longest {@code isValid} check of a connection taken from the data source, in seconds. */
    private static final int MAX_VALID_SECONDS = 5;

    private static final Duration MIN_NETWORK_TIMEOUT = Duration.ofMillis(100);
    private static final Duration MIN_QUERY_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration MAX_TIMEOUT = Duration.ofHours(1);

    /**
     * The executor JDBC asks for in setNetworkTimeout and abort: runs on the sink thread. pgjdbc and
     * MariaDB Connector/J do not use it for the timeout; an abort only closes a socket, the sink may wait for that.
     */
    private static final Executor ON_CALLER = Runnable::run;

    /**
     * Binds one event's values to the parameters of the insert statement. Called on the sink thread.
     * Bind every parameter each time: the statement is reused.
     */
    @FunctionalInterface
    public interface Binder<E> {
        void bind(PreparedStatement statement, E event) throws SQLException;
    }

    private final DataSource dataSource;
    private final String description;
    private final String table;
    private final Batch.Factory<E> batches;
    /** The standard table's choice of plain or idempotent inserts, and how to read an event's id; else {@code null}. */
    private final Redelivery redelivery;
    private final ToLongFunction<? super E> ids;
    private final Runnable detach;
    private final int networkTimeoutMillis;
    private final int queryTimeoutSeconds;
    private final boolean mayCreateTable;

    private Dialect dialect;
    private boolean schemaReady;
    private Connection connection;
    private Batch<E> batch;
    private int added;
    private boolean networkTimeoutUnsupportedLogged;
    /** The standard table was found missing since the last commit; the next connection creates it again. */
    private boolean recreatingTable;

    private JdbcSink(DataSource dataSource, String description, String table, boolean mayCreateTable,
                     Batch.Factory<E> batches, Redelivery redelivery, ToLongFunction<? super E> ids,
                     Timeouts timeouts) {
        this.dataSource = dataSource;
        this.redelivery = redelivery;
        this.ids = ids;
        this.description = description;
        this.table = table;
        this.mayCreateTable = mayCreateTable;
        this.batches = batches;
        this.networkTimeoutMillis = (int) timeouts.network.toMillis();
        // JDBC counts query timeouts in whole seconds: round a fraction up.
        this.queryTimeoutSeconds = (int) ((timeouts.query.toMillis() + 999) / 1000);
        this.schemaReady = table == null;
        this.detach = EmbeddedH2.attach(dataSource); // the embedded pool closes its database at JVM exit only after this sink
    }

    /**
     * A sink for the standard {@link LogEvent}, writing to the table {@value #DEFAULT_TABLE} unless
     * {@link TableBuilder#table} says otherwise.
     */
    public static TableBuilder forLogEvents(DataSource dataSource) {
        return new TableBuilder(dataSource);
    }

    /**
     * A sink for your own events and table.
     *
     * <p>The sink cannot measure a custom statement's values: one larger than the server accepts in a
     * statement (MariaDB/MySQL {@code max_allowed_packet}) makes the server reset the connection, which
     * looks like an outage and is retried. If your values can be that large, check their size in the
     * binder and throw a {@link java.sql.SQLDataException}: the engine then dead-letters that event.
     *
     * @param insertSql the statement executed for each event, with {@code ?} parameters; make it
     *     idempotent (a key and {@code ON CONFLICT DO NOTHING} or the like) if a retried batch must not
     *     duplicate rows
     * @param binder sets the statement's parameters from an event
     */
    public static <E> Builder<E> builder(DataSource dataSource, String insertSql, Binder<? super E> binder) {
        return new Builder<>(dataSource, insertSql, binder);
    }

    /**
     * Returns {@code name} if the sink can write it unquoted into a statement on every supported database:
     * {@code [A-Za-z_][A-Za-z0-9_]{0,62}}, optionally schema-qualified ({@code audit.events}), not a
     * reserved word of SQL, H2, PostgreSQL or MariaDB/MySQL. For the table and column names of a
     * {@link #builder custom statement}, checked at start instead of failing at the first write.
     *
     * @param setting the configuration key the name comes from, for the message
     * @throws IllegalArgumentException naming the setting, the rule and the value otherwise
     */
    public static String checkedIdentifier(String setting, String name) {
        return SqlIdentifier.validate(setting, name);
    }

    /**
     * The embedded default: a pooled data source on an H2 file database in {@code directory}.
     * See {@link EmbeddedH2} for encryption and durability options.
     */
    public static EmbeddedH2 embeddedH2(Path directory) {
        return new EmbeddedH2(directory);
    }

    /**
     * Binds the event and adds it to the current batch, connecting first (and creating the standard
     * table) if the sink has no connection. Called on the sink thread only.
     *
     * @throws SQLException after rolling back and forgetting the batch
     */
    @Override
    public void add(E event) throws SQLException {
        try {
            if (redelivery != null) {
                redelivery.add(ids.applyAsLong(event));
            }
            if (batch == null) {
                connect();
            }
            batch.add(event);
            added++;
        } catch (Throwable failure) {
            discard(failure);
            throw failure;
        }
    }

    /**
     * Executes the batch and commits it. Called on the sink thread only.
     *
     * @throws SQLException after rolling back and forgetting the batch
     */
    @Override
    public void flush() throws SQLException {
        if (added == 0) {
            return;
        }
        try {
            batch.execute();
            connection.commit();
            added = 0;
            recreatingTable = false;
            if (redelivery != null) {
                redelivery.committed();
            }
        } catch (Throwable failure) {
            discard(failure);
            throw failure;
        }
    }

    /**
     * Whether a failure is worth retrying with the same events. The rule: <b>retry only when waiting can
     * fix it</b>; everything else ends within a bounded number of attempts. Three kinds:
     * <ul>
     *   <li>retryable, the connection or the server's state (the engine retries with backoff, logging
     *       each failure, rate-limited): SQLState class {@code 08} (connection), {@code 40} (rollback:
     *       serialization failure, deadlock), {@code 53} (insufficient resources: disk full, out of
     *       memory, too many connections), {@code 57} (operator intervention: shutdown, crash recovery,
     *       statement cancelled or timed out; not {@code 57P04}, database dropped), {@code 58} (system
     *       I/O error), {@code 55P03} (lock not available), {@code 25006} (read-only transaction: a
     *       standby before failover), {@code HYT00}/{@code HYT01} (timeouts); MariaDB/MySQL and H2 error
     *       codes of the same meaning where their state is generic (lock wait timeout, disk or table
     *       full, server shutdown, read-only, connection killed; H2's closed object, closed database,
     *       I/O error, lock timeout, concurrent update); an {@code SQLException} caused by an
     *       {@link java.io.IOException} (a socket or a file: H2 reports a full disk as a general error
     *       over "No space left on device"); with no state or a generic {@code HY} one,
     *       {@link java.sql.SQLTransientException} (timeouts included), {@link java.sql.SQLRecoverableException},
     *       {@link java.sql.SQLNonTransientConnectionException}; checked exceptions that are not
     *       {@code SQLException}s (I/O under a COPY);</li>
     *   <li>not retryable, the event's own fault (the engine narrows the batch down to it, commits the
     *       rest and dead-letters it): SQLState class {@code 22} (data: value too long, bad format;
     *       also an event too large for any statement the server accepts, refused by {@code add}) and
     *       {@code 23} (constraint: NOT NULL, CHECK, foreign or unique key); unchecked exceptions
     *       (a binder that cannot handle a value);</li>
     *   <li>not retryable, neither the event's fault nor transient, because the database answered and
     *       waiting will not change its answer: every other state, among them {@code 42} (syntax,
     *       privilege {@code 42501}, undefined table or column), {@code 0A} (unsupported feature),
     *       {@code 28} (authentication), {@code 3D}/{@code 3F} (missing catalog or schema), {@code 54}
     *       (program limits, data too large for an index), MariaDB's packet too large ({@code 1153}, or
     *       Connector/J refusing a statement over {@code max_allowed_packet}), a generic state with a
     *       plain {@code SQLException}, and no state at all. At {@link TableBuilder#build()} (or
     *       {@link Builder#build()}) such an answer fails the build with an {@link IllegalStateException}
     *       naming the table (or statement) and the server's message; at run time the engine isolates
     *       the events as for the event's fault, so each ends in the dead-letter handler with the cause
     *       after at most about two attempts per event of the batch.</li>
     * </ul>
     * Two exceptions on the standard table: gone under a running sink (dropped by an operator, lost with a
     * database file), it is retryable once when the sink may create it: the next attempt creates it again.
     * Missing again after that, before any success, it is an answer like the others. And a plain
     * (first) attempt that fails on a unique key (SQLState {@code 23505}, MariaDB error 1062) is
     * retryable: a row already there (an event committed before a crash and replayed) is skipped by
     * the retry, which is idempotent; a violation the idempotent insert does not skip then is the
     * event's fault as above.
     * The server's state is read before the exception's class: a pool's timeout that wraps an
     * authentication failure (HikariCP copies its state) is not transient. A
     * {@link java.sql.BatchUpdateException} is classified by the error it carries (its next exception
     * or its cause), not by its own generic state. Called on the sink thread only.
     */
    @Override
    public boolean isRetryable(Throwable failure) {
        return SqlFailures.isRetryable(failure) || (recreatingTable && SqlFailures.isMissingTable(failure))
                || (redelivery != null && redelivery.lastFailureWasPlain() && SqlFailures.isDuplicateKey(failure));
    }

    /**
     * Rolls back anything not flushed and returns the connection to the pool (evicts it if the rollback
     * fails). Called once, on the sink thread; bounded by the network timeout.
     */
    @Override
    public void close() {
        boolean broken = connection != null && added > 0 && !rollbackQuietly();
        added = 0;
        closeConnection(broken);
        detach.run();
    }

    /** Whether the sink holds a connection (and so the table exists). For tests. */
    boolean connected() {
        return connection != null;
    }

    @Override
    public String toString() {
        return "JdbcSink[" + description + "]";
    }

    private void connect() throws SQLException {
        Connection c = liveConnection();
        try {
            c.setAutoCommit(false);
            if (dialect == null) {
                dialect = Dialect.of(c.getMetaData());
            }
            if (!schemaReady) {
                createTable(c);
                schemaReady = true;
            }
            Batch<E> opened = batches.open(c, dialect);
            try {
                opened.queryTimeout(queryTimeoutSeconds);
            } catch (Throwable failure) {
                opened.close();
                throw failure;
            }
            batch = opened;
            connection = c;
        } catch (Throwable failure) {
            if (SqlFailures.breaksConnection(failure)) {
                evict(c);
            } else {
                closeQuietly(c);
            }
            throw failure;
        }
    }

    /**
     * A connection from the data source that answers, with the network timeout set. A pooled
     * connection may have died while it sat idle (a restarted server, a killed session, a failover):
     * one that fails {@link Connection#isValid} is evicted and another taken, {@value #CONNECT_TRIES}
     * at most. Each take is bounded by the data source, each check by the network timeout and
     * {@value #MAX_VALID_SECONDS} s (HikariCP's default validationTimeout): a live server answers a
     * check in milliseconds, and four checks of a full network timeout would hold the sink for minutes.
     */
    private Connection liveConnection() throws SQLException {
        int validSeconds = Math.min(MAX_VALID_SECONDS, Math.max(1, (networkTimeoutMillis + 999) / 1000));
        SQLException last = null;
        for (int i = 0; i < CONNECT_TRIES; i++) {
            Connection c = dataSource.getConnection();
            try {
                setNetworkTimeout(c);
                if (c.isValid(validSeconds)) {
                    return c;
                }
                last = new SQLTransientConnectionException("ringlog: " + description + ": a connection from the"
                        + " data source did not answer (Connection.isValid(" + validSeconds + "))", "08003");
            } catch (SQLException closed) {
                last = closed; // a pooled connection already closed under the pool: dead as well
            } catch (RuntimeException e) {
                evict(c);
                throw e;
            }
            evict(c);
        }
        throw last;
    }

    private void setNetworkTimeout(Connection c) throws SQLException {
        try {
            c.setNetworkTimeout(ON_CALLER, networkTimeoutMillis);
        } catch (SQLFeatureNotSupportedException e) {
            if (!networkTimeoutUnsupportedLogged) {
                networkTimeoutUnsupportedLogged = true;
                LOG.log(Level.WARNING, () -> "ringlog: " + description + ": the driver does not support"
                        + " Connection.setNetworkTimeout; configure a socket timeout on the data source"
                        + " (e.g. socketTimeout) or a dead connection can block the sink thread for minutes");
            }
        }
    }

    /**
     * Takes a connection that may be dead out of the pool for good, so that no one borrows it again:
     * HikariCP evicts it (and closes it); with another pool it is aborted, then returned, so that the
     * pool's own check drops it. Never throws; does not wait for the network.
     */
    private void evict(Connection c) {
        try {
            if (c instanceof ProxyConnection && dataSource.isWrapperFor(HikariDataSource.class)) {
                // Not closed afterwards: the pool has closed it, and a close would try a rollback on it.
                dataSource.unwrap(HikariDataSource.class).evictConnection(c);
                return;
            }
            c.abort(ON_CALLER);
        } catch (Throwable e) {
            LOG.log(Level.DEBUG, () -> "ringlog: evicting a failed connection of " + description + " failed", e);
        }
        closeQuietly(c);
    }

    private void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (Throwable e) {
            LOG.log(Level.DEBUG, () -> "ringlog: closing a connection of " + description + " failed", e);
        }
    }

    /** Finds the standard table, or creates it and its indexes; see {@link Schema#ensure}. */
    private void createTable(Connection c) throws SQLException {
        Schema.ensure(c, dialect, table, mayCreateTable);
    }

    /** After a failed add or flush: forget the batch, roll back, and evict the connection if it may be broken. */
    private void discard(Throwable failure) {
        added = 0;
        if (redelivery != null) {
            redelivery.failed();
        }
        if (batch != null) {
            batch.discard();
        }
        if (connection == null) {
            return;
        }
        // A connection that may be broken is evicted without a rollback, which on a half-open connection
        // would wait for the network timeout again: the server rolls back a session that ends.
        if (SqlFailures.breaksConnection(failure) || !rollbackQuietly()) {
            closeConnection(true);
        } else if (table != null && mayCreateTable && !recreatingTable && SqlFailures.isMissingTable(failure)) {
            // The table went away under the sink: connect again, which finds or creates it (once: see isRetryable).
            recreatingTable = true;
            schemaReady = false;
            closeConnection(false);
        }
    }

    private boolean rollbackQuietly() {
        return rollbackQuietly(connection);
    }

    private static boolean rollbackQuietly(Connection c) {
        try {
            c.rollback();
            return true;
        } catch (Throwable e) {
            return false;
        }
    }

    /** Releases the statements and the connection: back to the pool, or evicted when it may be broken. */
    private void closeConnection(boolean evict) {
        boolean drop = evict;
        if (batch != null) {
            if (!drop) {
                try {
                    batch.beforeReturn();
                } catch (Throwable e) {
                    drop = true; // the session could not be put back as it was: nobody else gets it
                }
            }
            batch.close();
            batch = null;
        }
        if (connection != null) {
            Connection c = connection;
            connection = null;
            if (drop) {
                evict(c);
            } else {
                closeQuietly(c);
            }
        }
    }

    /**
     * Tries to connect (and find or create the table) now, so that a database that answers is ready at
     * start, and one that answers with an error waiting cannot fix fails the build.
     *
     * @throws IllegalStateException naming the table or statement and the server's message if the
     *     database rejects the setup (syntax, privilege, missing schema, authentication...)
     */
    private JdbcSink<E> connectEarly() {
        try {
            connect();
        } catch (SQLException e) {
            if (!SqlFailures.isRetryable(e)) {
                SQLException real = SqlFailures.realCause(e);
                throw new IllegalStateException("ringlog: " + description + ": the database rejected the setup ("
                        + real.getSQLState() + ", error " + real.getErrorCode() + "): " + e.getMessage(), e);
            }
            LOG.log(Level.WARNING, () -> "ringlog: " + description + ": could not connect or prepare yet ("
                    + e.getSQLState() + ": " + e.getMessage() + "); the sink connects"
                    + (table == null ? "" : " and creates the table") + " on its first write");
        }
        return this;
    }

    /** {@code epochMicros} as a UTC wall-clock {@code TIMESTAMP} value, microseconds exact. */
    static LocalDateTime utc(long epochMicros) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L),
                (int) Math.floorMod(epochMicros, 1_000_000L) * 1_000, ZoneOffset.UTC);
    }

    /** Configures a sink for the standard {@link LogEvent} table. */
    public static final class TableBuilder {

        private final DataSource dataSource;
        private String table = DEFAULT_TABLE;
        private boolean createTable = true;
        private WritePath path;
        private Timeouts timeouts = Timeouts.DEFAULT;

        private TableBuilder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * The table to write, created if missing. Default {@value #DEFAULT_TABLE}.
         *
         * @param table an SQL identifier, optionally schema-qualified: {@code [A-Za-z_][A-Za-z0-9_]{0,62}}
         *     ({@code audit.events}), not a reserved word; it is not quoted, so the database folds its
         *     case as usual
         * @throws IllegalArgumentException naming the value if it is not such an identifier
         */
        public TableBuilder table(String table) {
            this.table = SqlIdentifier.validate("table", table);
            return this;
        }

        /**
         * The longest the sink waits for the database on any call over its connection
         * ({@link Connection#setNetworkTimeout}): past it the driver closes the connection and the
         * attempt fails retryably, to be retried on a new connection. It bounds what a half-open
         * connection costs. Keep it longer than the query timeout, so that a slow statement is
         * cancelled and its connection kept. Default {@value JdbcSink#DEFAULT_NETWORK_TIMEOUT_SECONDS} s.
         *
         * @param networkTimeout in [100 ms, 1 h]
         * @throws IllegalArgumentException naming the value if outside that range
         */
        public TableBuilder networkTimeout(Duration networkTimeout) {
            timeouts = timeouts.network(networkTimeout);
            return this;
        }

        /**
         * The longest one statement may run ({@link Statement#setQueryTimeout}; a COPY, which has no
         * JDBC statement, by the session's {@code statement_timeout}): past it the driver or the server
         * cancels it and the attempt fails retryably. JDBC counts it in whole seconds: a fraction is
         * rounded up. Default {@value JdbcSink#DEFAULT_QUERY_TIMEOUT_SECONDS} s. On PostgreSQL the
         * cancel travels over a new connection and the statement waits for it, at most pgjdbc's
         * {@code cancelSignalTimeout} (10 s by default) when the network does not answer.
         *
         * @param queryTimeout in [1 s, 1 h]
         * @throws IllegalArgumentException naming the value if outside that range
         */
        public TableBuilder queryTimeout(Duration queryTimeout) {
            timeouts = timeouts.query(queryTimeout);
            return this;
        }

        /**
         * Whether the sink may create the table and its indexes when the metadata does not show it.
         * Default {@code true}. With {@code false} the sink never runs DDL, and a missing table fails
         * {@link #build()} (or, if the database did not answer then, dead-letters the events); an
         * existing table is never altered either way.
         */
        public TableBuilder createTable(boolean create) {
            this.createTable = create;
            return this;
        }

        /**
         * How rows are sent, instead of the measured default per database ({@link WritePath}: a JDBC
         * batch on H2, COPY on PostgreSQL, multi-row statements on MariaDB/MySQL). Every path is
         * correct on every database it runs on; {@link WritePath#POSTGRES_COPY} on another database, or
         * on PostgreSQL through another driver than pgjdbc, takes that database's default. Use it where
         * a path is not available (COPY through a proxy that does not relay it) or to measure.
         */
        public TableBuilder writePath(WritePath path) {
            this.path = Objects.requireNonNull(path, "writePath");
            return this;
        }

        /**
         * Creates the sink and, if the database answers, finds the table in the JDBC metadata or creates
         * it and its indexes. A database that does not answer is not an error: a warning is logged, the
         * sink connects and finds or creates the table on its first write, and the engine retries that
         * write until it succeeds. Waits for a connection at most as long as the data source does: with
         * HikariCP that bound is its {@code connectionTimeout} (30 s by default: lower it if the
         * application must start fast while the database is down); with another data source, configure
         * its own. Each call to the database is then bounded by the {@link #networkTimeout} and the
         * {@link #queryTimeout}; a connection that fails its check is replaced,
         * {@value JdbcSink#CONNECT_TRIES} times at most.
         *
         * @throws IllegalStateException if the database answers and is not H2, PostgreSQL or MariaDB/MySQL,
         *     or answers with an error that waiting cannot fix (the table cannot be created, or is missing
         *     with {@code createTable(false)}): the message names the table and gives the server's message
         */
        public JdbcSink<LogEvent> build() {
            String target = table;
            WritePath forced = path;
            Redelivery redelivery = new Redelivery(); // shared by the batches of every connection of the sink
            Batch.Factory<LogEvent> batches = (connection, dialect) -> {
                StatementLimit limit = StatementLimit.of(connection, dialect);
                WritePath chosen = forced != null ? forced : WritePath.fastestFor(dialect);
                if (chosen == WritePath.POSTGRES_COPY) {
                    Batch<LogEvent> pg = dialect == Dialect.POSTGRESQL ? openPgCopy(connection, target, redelivery, limit) : null;
                    if (pg != null) {
                        return pg;
                    }
                    chosen = dialect == Dialect.POSTGRESQL ? WritePath.MULTI_ROW : WritePath.fastestFor(dialect);
                }
                return InsertBatch.open(connection, dialect, target, redelivery, chosen == WritePath.MULTI_ROW, limit);
            };
            JdbcSink<LogEvent> sink = new JdbcSink<>(dataSource, "table " + target, target, createTable, batches,
                    redelivery, LogEvent::id, timeouts);
            return sink.connectEarly(); // another database than these three fails here: Schema.ensure says so
        }

        /** The COPY path if pgjdbc is on the class path and under the connection, else {@code null}. */
        private static Batch<LogEvent> openPgCopy(Connection connection, String table, Redelivery redelivery,
                                                  StatementLimit limit) throws SQLException {
            try {
                return PgCopyBatch.openIfPgjdbc(connection, table, redelivery, limit);
            } catch (LinkageError noPgjdbc) {
                return null; // another PostgreSQL driver: the JDBC batch works with any
            }
        }
    }

    /** Configures a sink for your own events and insert statement. */
    public static final class Builder<E> {

        private final DataSource dataSource;
        private final String insertSql;
        private final Binder<? super E> binder;
        private Timeouts timeouts = Timeouts.DEFAULT;

        private Builder(DataSource dataSource, String insertSql, Binder<? super E> binder) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.insertSql = Objects.requireNonNull(insertSql, "insertSql");
            this.binder = Objects.requireNonNull(binder, "binder");
            if (insertSql.isBlank()) {
                throw new IllegalArgumentException("insertSql must be an SQL statement: insertSql='" + insertSql + "'");
            }
        }

        /**
         * The longest the sink waits for the database on any call over its connection
         * ({@link Connection#setNetworkTimeout}): past it the driver closes the connection and the
         * attempt fails retryably, to be retried on a new connection. It bounds what a half-open
         * connection costs. Keep it longer than the query timeout, so that a slow statement is
         * cancelled and its connection kept. Default {@value JdbcSink#DEFAULT_NETWORK_TIMEOUT_SECONDS} s.
         *
         * @param networkTimeout in [100 ms, 1 h]
         * @throws IllegalArgumentException naming the value if outside that range
         */
        public Builder<E> networkTimeout(Duration networkTimeout) {
            timeouts = timeouts.network(networkTimeout);
            return this;
        }

        /**
         * The longest one statement may run ({@link Statement#setQueryTimeout}): past it the driver
         * cancels it and the attempt fails retryably. JDBC counts it in whole seconds: a fraction is
         * rounded up. Default {@value JdbcSink#DEFAULT_QUERY_TIMEOUT_SECONDS} s. On PostgreSQL the
         * cancel travels over a new connection and the statement waits for it, at most pgjdbc's
         * {@code cancelSignalTimeout} (10 s by default) when the network does not answer.
         *
         * @param queryTimeout in [1 s, 1 h]
         * @throws IllegalArgumentException naming the value if outside that range
         */
        public Builder<E> queryTimeout(Duration queryTimeout) {
            timeouts = timeouts.query(queryTimeout);
            return this;
        }

        /**
         * Creates the sink and connects if the database answers (prepares the statement, which checks
         * it where the driver prepares on the server: H2); a database that does not answer is not an
         * error, the sink connects on its first write. Waits for a connection at most as long as the data
         * source does: with HikariCP that bound is its {@code connectionTimeout}; with another data
         * source, configure its own. Each call to the database is then bounded by the
         * {@link #networkTimeout} and the {@link #queryTimeout}.
         *
         * @throws IllegalStateException naming the statement and giving the server's message if the
         *     database answers with an error that waiting cannot fix (syntax, missing table, privilege)
         */
        public JdbcSink<E> build() {
            String sql = insertSql;
            Binder<? super E> b = binder;
            return new JdbcSink<E>(dataSource, "custom insert " + sql, null, false,
                    (connection, dialect) -> new StatementBatch<>(connection.prepareStatement(sql), b), null, null, timeouts)
                    .connectEarly();
        }
    }

    /** The two timeouts both builders take, validated when set. */
    record Timeouts(Duration network, Duration query) {

        static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(DEFAULT_NETWORK_TIMEOUT_SECONDS),
                Duration.ofSeconds(DEFAULT_QUERY_TIMEOUT_SECONDS));

        Timeouts network(Duration value) {
            return new Timeouts(checked("networkTimeout", value, MIN_NETWORK_TIMEOUT, "[100 ms, 1 h]"), query);
        }

        Timeouts query(Duration value) {
            return new Timeouts(network, checked("queryTimeout", value, MIN_QUERY_TIMEOUT, "[1 s, 1 h]"));
        }

        private static Duration checked(String name, Duration value, Duration min, String range) {
            Objects.requireNonNull(value, name);
            if (value.compareTo(min) < 0 || value.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException(name + " must be in " + range + ": " + name + "=" + value);
            }
            return value;
        }
    }
}
