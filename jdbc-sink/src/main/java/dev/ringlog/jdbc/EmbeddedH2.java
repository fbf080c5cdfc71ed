package dev.ringlog.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.io.File;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The embedded default: a HikariCP pool on an H2 file database, from {@link JdbcSink#embeddedH2}.
 *
 * <pre>{@code
 * HikariDataSource ds = JdbcSink.embeddedH2(Path.of("data")).open();
 * JdbcSink<LogEvent> sink = JdbcSink.forLogEvents(ds).build();
 * }</pre>
 *
 * <p>Durability: what the log counts written is in the file.
 * <ul>
 *   <li>By default each commit is written to the file before it returns ({@code WRITE_DELAY=0}): a
 *       committed batch survives the JVM exiting, with or without {@code close()}, and a JVM killed
 *       outright; a commit that cannot be written (a full disk) fails, and the log retries it. H2 does
 *       not force each commit through the operating system's cache ({@code fsync}): a power loss can
 *       still lose the last commits.</li>
 *   <li>{@link #commitOnDisk(boolean) commitOnDisk(false)} is the opt-out: H2 then writes commits up
 *       to 500 ms after they returned ({@code WRITE_DELAY=500}, H2's default). It saves a file write
 *       per commit, which shows when batches are small; with batches of 1,000 it measured no faster
 *       (131k against 146k rows/s, within the noise, by the non-JMH throughput test this module had
 *       before {@code WritePathBenchmark}). A normal JVM exit
 *       still keeps every commit (see below), but a kill, a crash or a full disk loses the events the
 *       log counted written that H2 had not yet written to the file.</li>
 * </ul>
 *
 * <p>The JVM exit: the pool closes the database when the logs writing through it have closed. A
 * shutdown hook of the pool waits, at most {@link #shutdownTimeout}, until every {@link JdbcSink}
 * built on it is closed (the log's own shutdown hook drains the log, then closes its sink), then
 * closes the pool, which closes the database cleanly. H2's own shutdown hook is off
 * ({@code DB_CLOSE_ON_EXIT=FALSE}): it would close the database under a log that is still draining.
 * Closing the pool yourself, after the log, is still the orderly way; it removes the hook.
 *
 * <p>A database that H2 closed (after a disk error, or a {@code SHUTDOWN}) is reopened: the pool
 * checks each connection it hands out and replaces those of a closed database with new ones, which
 * open the file again.
 *
 * <p>Encryption at rest: {@link #encrypted} sets {@code CIPHER=AES}; the file cannot be opened without
 * the file password and holds no plaintext. The passwords are kept in the pool configuration only and
 * never logged. Not thread-safe; configure, then {@link #open()}.
 */
public final class EmbeddedH2 {

    private static final System.Logger LOG = System.getLogger(EmbeddedH2.class.getName());
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Duration MAX_SHUTDOWN_TIMEOUT = Duration.ofHours(1);
    /** The H2 version the build tests against, for the message when H2 is missing. */
    private static final String TESTED_H2 = "2.3.232";

    private final Path directory;
    private String name = "ringlog";
    private boolean commitOnDisk = true;
    private String filePassword;
    private String userPassword = "";
    private int maximumPoolSize = 4;
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    EmbeddedH2(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
        String path = this.directory.toString();
        if (path.indexOf(';') >= 0) {
            throw new IllegalArgumentException("directory must not contain ';' (H2 reads what follows as settings):"
                    + " directory='" + path + "'");
        }
        if (File.separatorChar != '\\' && path.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("directory must not contain '\\' (H2 reads it as '/', another"
                    + " directory): directory='" + path + "'");
        }
    }

    /**
     * The database's file name in the directory, without extension: H2 adds {@code .mv.db}.
     * Default {@code ringlog}.
     *
     * @throws IllegalArgumentException unless 1 to 64 letters, digits, '_' or '-'
     */
    public EmbeddedH2 name(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be 1 to 64 letters, digits, '_' or '-': name="
                    + (name == null ? "null" : "'" + name + "'"));
        }
        this.name = name;
        return this;
    }

    /**
     * {@code true} (the default): each commit is written to the file before it returns
     * ({@code WRITE_DELAY=0}); {@code false}: up to 500 ms later, one file write less per commit, but a
     * kill, a crash or a full disk loses events the log counted written. See the class comment.
     */
    public EmbeddedH2 commitOnDisk(boolean commitOnDisk) {
        this.commitOnDisk = commitOnDisk;
        return this;
    }

    /**
     * Encrypts the file with AES ({@code CIPHER=AES}). The file password encrypts the file; the user
     * password authenticates the database user {@code sa}. Both are needed to open it again.
     *
     * @throws IllegalArgumentException if the file password is empty or either contains a space
     */
    public EmbeddedH2 encrypted(char[] filePassword, char[] userPassword) {
        Objects.requireNonNull(filePassword, "filePassword");
        Objects.requireNonNull(userPassword, "userPassword");
        String file = new String(filePassword);
        String user = new String(userPassword);
        if (file.isEmpty() || file.indexOf(' ') >= 0 || user.indexOf(' ') >= 0) {
            // H2 separates the two passwords with a space; the values are not echoed.
            throw new IllegalArgumentException("encrypted: the file password must be non-empty and neither"
                    + " password may contain a space");
        }
        this.filePassword = file;
        this.userPassword = user;
        return this;
    }

    /** Most pooled connections: one for the sink, the rest for readers. Default 4, in [1, 64]. */
    public EmbeddedH2 maximumPoolSize(int maximumPoolSize) {
        if (maximumPoolSize < 1 || maximumPoolSize > 64) {
            throw new IllegalArgumentException("maximumPoolSize must be in [1, 64]: maximumPoolSize=" + maximumPoolSize);
        }
        this.maximumPoolSize = maximumPoolSize;
        return this;
    }

    /**
     * How long a JVM exit waits for the sinks on this pool to close before it closes the database, in
     * [0, 1h]. Default 30 s, the log's default {@code shutdownTimeout}: keep it at least as long as the
     * longest {@code shutdownTimeout} of the logs writing here, or their last events are not written.
     */
    public EmbeddedH2 shutdownTimeout(Duration shutdownTimeout) {
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        if (shutdownTimeout.isNegative() || shutdownTimeout.compareTo(MAX_SHUTDOWN_TIMEOUT) > 0) {
            throw new IllegalArgumentException("shutdownTimeout must be in [0, 1h]: shutdownTimeout=" + shutdownTimeout);
        }
        this.shutdownTimeout = shutdownTimeout;
        return this;
    }

    /**
     * The JDBC URL, to query the database with any client while no log holds it open (H2 allows one
     * process per file): user {@code sa}, password empty unless {@link #encrypted}. For example
     * {@code java -cp h2-2.3.232.jar org.h2.tools.Shell -url <url> -user sa -password "" -sql "SELECT ..."}.
     * Passwords are never in it.
     */
    public String url() {
        StringBuilder url = new StringBuilder("jdbc:h2:file:").append(directory.resolve(name))
                .append(";DB_CLOSE_ON_EXIT=FALSE");
        if (filePassword != null) {
            url.append(";CIPHER=AES");
        }
        // H2's default is 500; set it either way, so that the URL says which durability was chosen
        url.append(commitOnDisk ? ";WRITE_DELAY=0" : ";WRITE_DELAY=500");
        return url.toString();
    }

    /**
     * Opens the pool (and creates the database file if missing) and registers its shutdown hook.
     * Close it after the log.
     *
     * @throws RuntimeException from HikariCP if the database cannot be opened (wrong password, file locked
     *     by another process)
     */
    public HikariDataSource open() {
        try {
            Class.forName("org.h2.Driver", false, EmbeddedH2.class.getClassLoader());
        } catch (ClassNotFoundException missing) {
            // HikariCP would say only "Failed to get driver instance ... No suitable driver"
            throw new IllegalStateException("JdbcSink.embeddedH2 needs the H2 database on the class path: add the"
                    + " dependency com.h2database:h2 (2.x; ringlog is tested with " + TESTED_H2 + ")", missing);
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("ringlog-h2-" + name);
        config.setJdbcUrl(url());
        config.setUsername("sa");
        config.setPassword(filePassword == null ? userPassword : filePassword + " " + userPassword);
        config.setMaximumPoolSize(maximumPoolSize);
        config.setMinimumIdle(1);
        config.setAllowPoolSuspension(true); // to reopen a closed database: see Pool.closeAllConnections
        return new Pool(config, shutdownTimeout);
    }

    /**
     * Counts {@code sink} as writing to the embedded pool under {@code dataSource}, if there is one, so
     * that the JVM exit closes the database only after the sink: returns what the sink runs when it
     * closes (once; a no-op for another data source).
     */
    static Runnable attach(DataSource dataSource) {
        Pool pool = Pool.under(dataSource);
        if (pool == null) {
            return () -> { };
        }
        pool.attach();
        AtomicBoolean detached = new AtomicBoolean();
        return () -> {
            if (detached.compareAndSet(false, true)) {
                pool.detach();
            }
        };
    }

    @Override
    public String toString() {
        return "EmbeddedH2[" + url() + "]";
    }

    /** The pool {@link #open} returns: replaces connections of a closed database, closes it at JVM exit after its sinks. */
    static final class Pool extends HikariDataSource {

        private static final long REOPEN_WAIT_MS = 5_000;

        private final long shutdownTimeoutNanos;
        private final Thread exitHook;
        private final Object lock = new Object();
        private final ReentrantLock reopening = new ReentrantLock();
        private int sinks; // guarded by lock

        Pool(HikariConfig config, Duration shutdownTimeout) {
            super(config);
            this.shutdownTimeoutNanos = shutdownTimeout.toNanos();
            this.exitHook = new Thread(this::closeAfterTheSinks, config.getPoolName() + "-exit");
            Runtime.getRuntime().addShutdownHook(exitHook);
        }

        static Pool under(DataSource dataSource) {
            try {
                return dataSource instanceof Pool pool ? pool
                        : dataSource.isWrapperFor(Pool.class) ? dataSource.unwrap(Pool.class) : null;
            } catch (SQLException notAWrapper) {
                return null;
            }
        }

        /**
         * A pooled connection to an open database. After a disk error (or {@code SHUTDOWN}) H2 closes the
         * database: its connections fail every statement with 90098 or 90121, yet pass HikariCP's
         * validity check, so the pool would hand them out forever. The first one found closes them all,
         * then a new connection opens the file again.
         */
        @Override
        public Connection getConnection() throws SQLException {
            Connection c = super.getConnection();
            if (isOpen(c)) {
                return c;
            }
            closeAllConnections(c);
            return super.getConnection();
        }

        /** Runs a trivial statement: microseconds in process, on every borrow (the sink borrows once per connection it holds). */
        private static boolean isOpen(Connection c) {
            try (Statement s = c.createStatement()) {
                s.execute("CALL 1");
                return true;
            } catch (SQLException closedOrBroken) {
                return false;
            }
        }

        /**
         * Closes every connection to the closed database before a new one may open the file. The order
         * matters: H2 unregisters a database by its file name whenever a connection of the closed one is
         * used or closed, so a new database opened before the last old connection is gone loses its
         * registration, and every later connection then fails with "file is locked" (90020). The pool is
         * suspended meanwhile (it opens no connection), at most {@value #REOPEN_WAIT_MS} ms: a
         * connection still in use elsewhere is closed when it is returned.
         */
        private void closeAllConnections(Connection closed) {
            HikariPoolMXBean pool = getHikariPoolMXBean();
            reopening.lock(); // one at a time: a second suspendPool() returns at once and its resume would end the first's wait
            pool.suspendPool();
            try {
                evictConnection(closed);
                pool.softEvictConnections();
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REOPEN_WAIT_MS);
                while (pool.getTotalConnections() > 0 && System.nanoTime() < deadline) {
                    // HikariCP closes evicted connections on a thread of its own and signals nothing
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            } finally {
                pool.resumePool();
                reopening.unlock();
            }
        }

        void attach() {
            synchronized (lock) {
                sinks++;
            }
        }

        void detach() {
            synchronized (lock) {
                sinks--;
                lock.notifyAll();
            }
        }

        /** The shutdown hook: waits for the sinks (their logs' hooks close them), then closes the pool and so the database. */
        private void closeAfterTheSinks() {
            long deadline = System.nanoTime() + shutdownTimeoutNanos;
            int open;
            synchronized (lock) {
                long left;
                while (sinks > 0 && (left = deadline - System.nanoTime()) > 0) {
                    try {
                        TimeUnit.NANOSECONDS.timedWait(lock, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                open = sinks;
            }
            if (open > 0) {
                LOG.log(Level.WARNING, () -> "ringlog: " + getPoolName() + ": closing the database at JVM exit with "
                        + open + " sink(s) still open after shutdownTimeout=" + Duration.ofNanos(shutdownTimeoutNanos));
            }
            close();
        }

        /** Closes the pool and the database; removes the shutdown hook unless the JVM is exiting. */
        @Override
        public void close() {
            if (Thread.currentThread() != exitHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(exitHook);
                } catch (IllegalStateException exiting) {
                    // the JVM is exiting: the hook runs too, and closing twice is harmless
                }
            }
            super.close();
        }
    }
}
