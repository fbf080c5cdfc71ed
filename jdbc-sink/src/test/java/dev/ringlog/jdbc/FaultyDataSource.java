package dev.ringlog.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Wraps a real {@link DataSource} with fault switches: the database is down; the next commit
 * succeeds and then reports a lost connection (ambiguous commit); the next batch finds its connection
 * broken. Counts commits with a semaphore so that tests can wait for progress without sleeping.
 */
final class FaultyDataSource implements DataSource {

    private final DataSource real;
    final AtomicBoolean down = new AtomicBoolean();
    final AtomicInteger connectAttempts = new AtomicInteger();
    final Semaphore failedConnects = new Semaphore(0);
    final AtomicBoolean ambiguousNextCommit = new AtomicBoolean();
    final AtomicInteger ambiguousCommits = new AtomicInteger();
    final AtomicBoolean breakNextBatch = new AtomicBoolean();
    final AtomicInteger brokenBatches = new AtomicInteger();
    final Semaphore commits = new Semaphore(0);
    /** Run on a new connection (the real one, before the sink sees it). */
    volatile Consumer<Connection> onConnect = c -> { };
    /** Breaks the real connection under the sink when {@link #breakNextBatch} is set. */
    volatile Consumer<Connection> breaker = c -> { };

    FaultyDataSource(DataSource real) {
        this.real = real;
    }

    @Override
    public Connection getConnection() throws SQLException {
        connectAttempts.incrementAndGet();
        if (down.get()) {
            failedConnects.release();
            throw new SQLNonTransientConnectionException("test: the database is down", "08001");
        }
        Connection c = real.getConnection();
        onConnect.accept(c);
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                new ConnectionHandler(c));
    }

    private final class ConnectionHandler implements InvocationHandler {
        private final Connection c;

        ConnectionHandler(Connection c) {
            this.c = c;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Object result = call(c, method, args);
            switch (method.getName()) {
                case "commit" -> {
                    commits.release();
                    if (ambiguousNextCommit.compareAndSet(true, false)) {
                        ambiguousCommits.incrementAndGet();
                        throw new SQLTransientConnectionException("test: commit reached the database, answer lost", "08006");
                    }
                }
                case "prepareStatement" -> {
                    PreparedStatement ps = (PreparedStatement) result;
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class},
                            (p, m, a) -> {
                                if (m.getName().equals("executeBatch") && breakNextBatch.compareAndSet(true, false)) {
                                    brokenBatches.incrementAndGet();
                                    breaker.accept(c);
                                }
                                return call(ps, m, a);
                            });
                }
                default -> { }
            }
            return result;
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public Connection getConnection(String username, String password) {
        throw new UnsupportedOperationException();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return real.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return real.isWrapperFor(iface);
    }
}
