package dev.ringlog.spring;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

/**
 * What the log writes through: by default a small HikariCP pool of its own, so that a full application
 * pool never stalls the sink and the sink never takes the application's connections; with
 * {@code ringlog.datasource.shared=true} the application's {@link DataSource} bean. Not a
 * {@code DataSource} bean itself, so that the application's own DataSource auto-configuration (which
 * backs off when one exists) is unaffected. Closing it closes the pool it owns, never a shared one.
 */
final class RinglogDataSource implements AutoCloseable {

    static final int MAX_POOL_SIZE = 16;
    private static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250); // HikariCP's own floor
    private static final Duration MAX_CONNECTION_TIMEOUT = Duration.ofMinutes(1);

    final DataSource dataSource;
    private final HikariDataSource ownPool;

    private RinglogDataSource(DataSource dataSource, HikariDataSource ownPool) {
        this.dataSource = dataSource;
        this.ownPool = ownPool;
    }

    static RinglogDataSource of(RinglogProperties properties, Environment environment,
                                ObjectProvider<DataSource> application) {
        RinglogProperties.Datasource p = properties.getDatasource();
        if (p.isShared()) {
            DataSource shared = application.getIfUnique();
            if (shared == null) {
                throw new InvalidConfigurationPropertyValueException("ringlog.datasource.shared", true,
                        "the application has no single DataSource bean to share: define one, or set"
                                + " ringlog.datasource.url for a pool of the log's own");
            }
            return new RinglogDataSource(shared, null);
        }
        HikariDataSource pool = ownPool(properties, environment);
        return new RinglogDataSource(pool, pool);
    }

    private static HikariDataSource ownPool(RinglogProperties properties, Environment environment) {
        RinglogProperties.Datasource p = properties.getDatasource();
        String url = p.getUrl();
        String username = p.getUsername();
        String password = p.getPassword();
        if (url == null) {
            url = environment.getProperty("spring.datasource.url");
            if (url == null) {
                throw new IllegalStateException("ringlog.datasource.url is not set and neither is spring.datasource.url:"
                        + " set one (the log gets a pool of its own on it), or ringlog.datasource.shared=true to write"
                        + " through the application's DataSource");
            }
            username = username != null ? username : environment.getProperty("spring.datasource.username");
            password = password != null ? password : environment.getProperty("spring.datasource.password");
        }
        int size = p.getMaximumPoolSize();
        if (size < 1 || size > MAX_POOL_SIZE) {
            throw new InvalidConfigurationPropertyValueException("ringlog.datasource.maximum-pool-size", size,
                    "ringlog.datasource.maximum-pool-size must be in [1, " + MAX_POOL_SIZE + "]");
        }
        Duration timeout = p.getConnectionTimeout();
        if (timeout == null || timeout.compareTo(MIN_CONNECTION_TIMEOUT) < 0 || timeout.compareTo(MAX_CONNECTION_TIMEOUT) > 0) {
            throw new InvalidConfigurationPropertyValueException("ringlog.datasource.connection-timeout", timeout,
                    "ringlog.datasource.connection-timeout must be in [250ms, 1m]");
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("ringlog-" + (properties.getName() != null ? properties.getName() : "default"));
        config.setJdbcUrl(url);
        config.setUsername(username);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(timeout.toMillis());
        // Start even while the database is down: the sink connects on its first write and retries until it can.
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    /** Closes the pool the log owns; a shared DataSource is the application's to close. */
    @Override
    public void close() {
        if (ownPool != null) {
            ownPool.close();
        }
    }
}
