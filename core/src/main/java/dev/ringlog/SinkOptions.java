package dev.ringlog;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The settings of one sink of a log with several ({@link EventLog.Builder#sink(String, Sink,
 * java.util.function.Consumer)}): its batching, retries, dead letters, and which events it takes. Each
 * starts from the log's value (the builder's {@code maxBatchSize}, {@code linger}, {@code retry},
 * {@code deadLetters}, {@code sample} rates and {@code sampleBy} key); the {@code ringlog.sinks.<name>.*}
 * keys of {@link EventLog.Builder#configure} override what is set here. Each value is checked when it is
 * set, and against the ring size by {@code start()}.
 *
 * @param <E> the log's event type
 */
public final class SinkOptions<E> {

    final String name;
    final Sink<? super E> sink;
    int maxBatchSize;
    String maxBatchSizeKey;
    Duration linger;
    RetryPolicy retry;
    DeadLetterHandler<? super E> deadLetters;
    Predicate<? super E> filter;
    final Map<String, Double> sampleRates = new LinkedHashMap<>();
    Function<? super E, ?> sampleKey;

    SinkOptions(String name, Sink<? super E> sink) {
        this.name = name;
        this.sink = sink;
    }

    /** Takes the log's settings as this sink's defaults; called by {@code start()} before the sink's own. */
    void inherit(Settings<E> log) {
        maxBatchSize = log.maxBatchSize;
        maxBatchSizeKey = log.maxBatchSizeKey();
        linger = log.linger;
        retry = log.retry;
        deadLetters = log.deadLetters;
        sampleRates.putAll(log.sampleRates);
        sampleKey = log.sampleKey;
    }

    private String key(String setting) {
        return "sinks." + name + "." + setting;
    }

    /** Most events per flush of this sink, in [1, ringSize]. Key {@code ringlog.sinks.<name>.maxBatchSize}. */
    public SinkOptions<E> maxBatchSize(int maxBatchSize) {
        return maxBatchSize(key("maxBatchSize"), maxBatchSize);
    }

    SinkOptions<E> maxBatchSize(String key, int value) {
        this.maxBatchSize = Settings.checkBatchSize(key, value);
        this.maxBatchSizeKey = key;
        return this;
    }

    /** How long this sink may hold events back to build a bigger batch, in [0, 1m]. Key {@code ringlog.sinks.<name>.linger}. */
    public SinkOptions<E> linger(Duration linger) {
        return linger(key("linger"), linger);
    }

    SinkOptions<E> linger(String key, Duration value) {
        this.linger = Settings.checkDuration(key, value, Settings.MAX_LINGER);
        return this;
    }

    /** How this sink's retryable failures are retried. */
    public SinkOptions<E> retry(RetryPolicy retry) {
        this.retry = Objects.requireNonNull(retry, "retry");
        return this;
    }

    /** Receives the events this sink cannot write. */
    public SinkOptions<E> deadLetters(DeadLetterHandler<? super E> deadLetters) {
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        return this;
    }

    /**
     * Which events this sink takes: the others are counted as filtered in its {@link EventLog.SinkStats}.
     * Evaluated on this sink's thread, once per event, on the event as the writer left it; a predicate
     * that throws takes the event. Default: every event.
     */
    public SinkOptions<E> filter(Predicate<? super E> filter) {
        this.filter = Objects.requireNonNull(filter, "filter");
        return this;
    }

    /**
     * Keeps a fraction {@code rate} in [0, 1] of this sink's events of {@code type}, overriding the log's
     * rate for that type (see {@link EventLog.Builder#sample}). Key {@code ringlog.sinks.<name>.sample.<type>}.
     */
    public SinkOptions<E> sample(String type, double rate) {
        return sample(key("sample." + Objects.requireNonNull(type, "type")), type, rate);
    }

    SinkOptions<E> sample(String key, String type, double rate) {
        sampleRates.put(type, Settings.checkRate(key, rate));
        return this;
    }

    /** Samples this sink's events by {@code key} instead of the log's key (see {@link EventLog.Builder#sampleBy}). */
    public SinkOptions<E> sampleBy(Function<? super E, ?> key) {
        this.sampleKey = Objects.requireNonNull(key, "key");
        return this;
    }
}
