package dev.ringlog.examples;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Wraps a {@link DataSource} so that every commit takes {@code latency} longer, like a cloud disk that
 * takes 85 ms per write, and counts commits. Everything else goes straight to the real connection.
 */
final class SlowCommits {

    private final AtomicLong commits = new AtomicLong();
    private final long latencyNanos;
    final DataSource dataSource;

    SlowCommits(DataSource real, Duration latency) {
        this.latencyNanos = latency.toNanos();
        this.dataSource = proxy(DataSource.class, real, (target, method, args) -> {
            Object result = method.invoke(target, args);
            return result instanceof Connection connection ? proxy(Connection.class, connection, this::onConnection) : result;
        });
    }

    long commits() {
        return commits.get();
    }

    private Object onConnection(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        if (method.getName().equals("commit")) {
            commits.incrementAndGet();
            if (latencyNanos > 0) {
                Thread.sleep(latencyNanos / 1_000_000, (int) (latencyNanos % 1_000_000));
            }
        }
        return method.invoke(target, args);
    }

    private interface Call {
        Object call(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, Object target, Call call) {
        InvocationHandler handler = (p, method, args) -> {
            try {
                return call.call(target, method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
