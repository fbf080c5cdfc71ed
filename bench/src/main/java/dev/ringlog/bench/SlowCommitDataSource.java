package dev.ringlog.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * A {@link DataSource} whose connections take {@code delay} longer in every {@code commit}: the
 * slow disk of the story in DESIGN.md (a cloud VM whose fsync takes ~85 ms). Everything else is
 * passed through.
 */
final class SlowCommitDataSource {

    private SlowCommitDataSource() {
    }

    static DataSource wrap(DataSource target, Duration delay) {
        long millis = delay.toMillis();
        return proxy(DataSource.class, target, (method, args) -> {
            Object result = invoke(method, target, args);
            if (result instanceof Connection c && method.getName().equals("getConnection")) {
                return proxy(Connection.class, c, (m, a) -> {
                    if (m.getName().equals("commit")) {
                        Thread.sleep(millis);
                    }
                    return invoke(m, c, a);
                });
            }
            return result;
        });
    }

    interface Call {
        Object call(Method method, Object[] args) throws Throwable;
    }

    static <T> T proxy(Class<T> type, T target, Call call) {
        InvocationHandler handler = (self, method, args) -> call.call(method, args);
        return type.cast(Proxy.newProxyInstance(SlowCommitDataSource.class.getClassLoader(), new Class<?>[] {type}, handler));
    }

    static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
