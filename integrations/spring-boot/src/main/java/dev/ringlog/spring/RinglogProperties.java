package dev.ringlog.spring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code ringlog.*} properties. The engine's settings are kept as the text written in the
 * configuration and checked by ringlog's own parser ({@code EventLog.Builder.configure}), so a Boot
 * application accepts exactly the values a {@code configure(Map)} call does; a bad one fails startup
 * naming the property, the rule and the value. An unknown {@code ringlog.*} property fails startup too.
 */
@ConfigurationProperties(prefix = "ringlog", ignoreUnknownFields = false)
public class RinglogProperties {

    /** Whether the starter creates the event log. */
    private boolean enabled = true;

    /** Names the log's sink thread, its JMX bean, its meters (tag name) and its messages: 1 to 64 letters, digits, '.', '_' or '-'. Default "default". */
    private String name;

    /** Slots in the ring, events in flight: a power of two in [64, 2^24]. Default 65536. */
    private String ringSize;

    /** Most events per database transaction, in [1, ring-size]. Default 1000 (or ring-size if smaller). */
    private String maxBatchSize;

    /** How long to hold events back to build bigger batches, in [0, 1m]: 100ms, 2s or PT0.1S. Default 0: flush whenever the sink has caught up. */
    private String linger;

    /** What publish does when the ring is full: drop, block or block:<duration> (block:2s, at most 1h). Default drop. */
    private String overflow;

    /** How long closing the log at shutdown waits for the backlog to be written, in [0, 1h]. Default 30s. */
    private String shutdownTimeout;

    /** async (through the ring, the default) or sync (written and committed on the publishing thread: the rollback switch). */
    private String mode;

    /** How the idle sink thread waits: sleep (the default), block, yield or spin. */
    private String waitStrategy;

    /** The table the events are written to, created if missing: an SQL identifier, optionally schema-qualified. */
    private String table = "ringlog_events";

    private final Datasource datasource = new Datasource();

    private final Health health = new Health();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getRingSize() {
        return ringSize;
    }

    public void setRingSize(String ringSize) {
        this.ringSize = ringSize;
    }

    public String getMaxBatchSize() {
        return maxBatchSize;
    }

    public void setMaxBatchSize(String maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
    }

    public String getLinger() {
        return linger;
    }

    public void setLinger(String linger) {
        this.linger = linger;
    }

    public String getOverflow() {
        return overflow;
    }

    public void setOverflow(String overflow) {
        this.overflow = overflow;
    }

    public String getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(String shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public String getWaitStrategy() {
        return waitStrategy;
    }

    public void setWaitStrategy(String waitStrategy) {
        this.waitStrategy = waitStrategy;
    }

    public String getTable() {
        return table;
    }

    public void setTable(String table) {
        this.table = table;
    }

    public Datasource getDatasource() {
        return datasource;
    }

    public Health getHealth() {
        return health;
    }

    /** Where the log writes: its own small pool (the default), or the application's DataSource. */
    public static class Datasource {

        /** Write through the application's DataSource bean instead of a pool of the log's own. */
        private boolean shared;

        /** JDBC URL of the log's own pool. Default: spring.datasource.url. */
        private String url;

        /** User of the log's own pool. Default: spring.datasource.username (when the URL is the application's too). */
        private String username;

        /** Password of the log's own pool. Default: spring.datasource.password (when the URL is the application's too). */
        private String password;

        /** Connections in the log's own pool, in [1, 16]: the sink uses one at a time. */
        private int maximumPoolSize = 2;

        /** How long the log's own pool waits for a connection before an attempt fails (and is retried), in [250ms, 1m]. */
        private Duration connectionTimeout = Duration.ofSeconds(5);

        public boolean isShared() {
            return shared;
        }

        public void setShared(boolean shared) {
            this.shared = shared;
        }

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public int getMaximumPoolSize() {
            return maximumPoolSize;
        }

        public void setMaximumPoolSize(int maximumPoolSize) {
            this.maximumPoolSize = maximumPoolSize;
        }

        public Duration getConnectionTimeout() {
            return connectionTimeout;
        }

        public void setConnectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = connectionTimeout;
        }
    }

    /** The health contributor {@code ringlog}. */
    public static class Health {

        /** How long the sink may keep retrying (the database failing) before ringlog's health is DOWN, in [0, 1h]. */
        private Duration downAfter = Duration.ofSeconds(30);

        public Duration getDownAfter() {
            return downAfter;
        }

        public void setDownAfter(Duration downAfter) {
            this.downAfter = downAfter;
        }
    }
}
