package dev.ringlog.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    private final RequestLog requestLog = new RequestLog();

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

    public RequestLog getRequestLog() {
        return requestLog;
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

    /** The request-logging filter (ringlog-servlet), registered in a servlet web application when enabled. */
    public static class RequestLog {

        /** Whether every HTTP request is logged as an event (method, path, route, status, duration, client, user). */
        private boolean enabled;

        /** The events' type. */
        private String eventType = "http_request";

        /** Content types whose request and response bodies are captured (application/json, text/*). Default none. */
        private List<String> bodyContentTypes = new ArrayList<>();

        /** At most this many bytes of each captured body are kept, in [1, 1048576]. */
        private int maxBodyBytes = 8192;

        /** How long after the request arrives its body is captured; a body not finished by then is logged as timed out. In [1ms, 1h]. */
        private Duration requestBodyTimeout = Duration.ofSeconds(2);

        /** How long after its first byte the response body is captured; a response not finished by then is logged as timed out. In [1ms, 1h]. */
        private Duration responseBodyTimeout = Duration.ofSeconds(3);

        /** Request and response headers logged (never Authorization, Proxy-Authorization, Cookie or Set-Cookie). Default none. */
        private List<String> headers = new ArrayList<>();

        /** Whether the query string is logged (it often carries tokens). */
        private boolean queryString;

        /** Sampling rates by path pattern, the first match deciding: sample[0].path=/actuator/**, sample[0].rate=0.1. Errors (4xx, 5xx) are always kept. */
        private List<Sample> sample = new ArrayList<>();

        /** The request attribute holding the matched route (the event's template). Default Spring MVC's best matching pattern. */
        private String pathTemplateAttribute;

        /** The filter's order: early by default, so that the duration covers the whole chain. */
        private int order = RinglogRequestLogAutoConfiguration.DEFAULT_ORDER;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getEventType() {
            return eventType;
        }

        public void setEventType(String eventType) {
            this.eventType = eventType;
        }

        public List<String> getBodyContentTypes() {
            return bodyContentTypes;
        }

        public void setBodyContentTypes(List<String> bodyContentTypes) {
            this.bodyContentTypes = bodyContentTypes;
        }

        public int getMaxBodyBytes() {
            return maxBodyBytes;
        }

        public void setMaxBodyBytes(int maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
        }

        public Duration getRequestBodyTimeout() {
            return requestBodyTimeout;
        }

        public void setRequestBodyTimeout(Duration requestBodyTimeout) {
            this.requestBodyTimeout = requestBodyTimeout;
        }

        public Duration getResponseBodyTimeout() {
            return responseBodyTimeout;
        }

        public void setResponseBodyTimeout(Duration responseBodyTimeout) {
            this.responseBodyTimeout = responseBodyTimeout;
        }

        public List<String> getHeaders() {
            return headers;
        }

        public void setHeaders(List<String> headers) {
            this.headers = headers;
        }

        public boolean isQueryString() {
            return queryString;
        }

        public void setQueryString(boolean queryString) {
            this.queryString = queryString;
        }

        public List<Sample> getSample() {
            return sample;
        }

        public void setSample(List<Sample> sample) {
            this.sample = sample;
        }

        public String getPathTemplateAttribute() {
            return pathTemplateAttribute;
        }

        public void setPathTemplateAttribute(String pathTemplateAttribute) {
            this.pathTemplateAttribute = pathTemplateAttribute;
        }

        public int getOrder() {
            return order;
        }

        public void setOrder(int order) {
            this.order = order;
        }
    }

    /** One sampling rule of the request log. */
    public static class Sample {

        /** An Ant-style path pattern within the context path: ?, * within a segment, ** across segments. */
        private String path;

        /** The share of matching requests kept, in [0.0, 1.0]. */
        private double rate = 1.0;

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public double getRate() {
            return rate;
        }

        public void setRate(double rate) {
            this.rate = rate;
        }
    }
}
