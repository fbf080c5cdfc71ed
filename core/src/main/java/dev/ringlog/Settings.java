package dev.ringlog;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values an {@link EventLog.Builder} collects, each validated when it is set, and the parsing of
 * {@code ringlog.*} keys. Messages name the key, the rule and the bad value: they are API, and tested.
 */
final class Settings<E> {

    static final String PREFIX = "ringlog.";
    static final int MIN_RING = 64;
    static final int MAX_RING = 1 << 24;
    static final Duration MAX_LINGER = Duration.ofMinutes(1);
    static final Duration MAX_TIMEOUT = Duration.ofHours(1);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ns|us|ms|s|m|h)?");

    String name = "default";
    int ringSize = 65_536;
    /** 0 until set: then the default, {@code min(1000, ringSize)}, follows the ring size. */
    int maxBatchSize;
    Duration linger = Duration.ZERO;
    OverflowPolicy overflow = OverflowPolicy.DROP;
    RetryPolicy retry = RetryPolicy.backoff(Duration.ofMillis(10), Duration.ofSeconds(30));
    DeadLetterHandler<? super E> deadLetters;
    Duration shutdownTimeout = Duration.ofSeconds(30);
    EventLog.Mode mode;
    EventLog.WaitStrategy waitStrategy = EventLog.WaitStrategy.SLEEP;
    ThreadFactory threadFactory;
    Ticker ticker = Ticker.system();
    Executor callbackExecutor = ForkJoinPool.commonPool();
    boolean shutdownHook = true;
    Map<String, String> environment = System.getenv();
    /** The shortest and longest park of the idle SLEEP strategy, and how often an idle sink thread wakes; for tests. */
    long minIdleParkNanos = IdleWaitStrategy.MIN_PARK_NANOS;
    long maxIdleParkNanos = IdleWaitStrategy.MAX_PARK_NANOS;
    long idleTickNanos = 1_000_000_000;

    void name(String key, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw invalid(key, "must be 1 to 64 letters, digits, '.', '_' or '-'", value);
        }
        name = value;
    }

    void ringSize(String key, int value) {
        if (value < MIN_RING || value > MAX_RING || Integer.bitCount(value) != 1) {
            throw invalid(key, "must be a power of two in [64, 2^24]", value);
        }
        ringSize = value;
    }

    void maxBatchSize(String key, int value) {
        if (value < 1 || value > MAX_RING) {
            throw invalid(key, "must be in [1, ringSize]", value);
        }
        maxBatchSize = value;
    }

    void linger(String key, Duration value) {
        linger = checkDuration(key, value, MAX_LINGER);
    }

    void shutdownTimeout(String key, Duration value) {
        shutdownTimeout = checkDuration(key, value, MAX_TIMEOUT);
    }

    /** Cross-field rules, checked once by {@code start()} after every value is in. */
    void validate() {
        if (maxBatchSize == 0) {
            maxBatchSize = Math.min(1_000, ringSize);
        }
        if (maxBatchSize > ringSize) {
            throw new IllegalArgumentException("maxBatchSize must be in [1, ringSize=" + ringSize
                    + "]: maxBatchSize=" + maxBatchSize);
        }
    }

    /** The mode in force: the one set by method or key, else {@code RINGLOG_MODE}, else async. */
    EventLog.Mode resolvedMode() {
        if (mode != null) {
            return mode;
        }
        String env = environment.get("RINGLOG_MODE");
        return env == null || env.isBlank() ? EventLog.Mode.ASYNC : parseMode("RINGLOG_MODE", env);
    }

    /** Applies every {@code ringlog.*} key of {@code config}; other keys are ignored. */
    void configure(Map<String, String> config) {
        config.forEach((key, value) -> {
            if (key.startsWith(PREFIX)) {
                apply(key, Objects.requireNonNull(value, () -> key + " has a null value").trim());
            }
        });
    }

    private void apply(String key, String value) {
        switch (key.substring(PREFIX.length())) {
            case "name" -> name(key, value);
            case "ringSize" -> ringSize(key, parseInt(key, value));
            case "maxBatchSize" -> maxBatchSize(key, parseInt(key, value));
            case "linger" -> linger(key, parseDuration(key, value, MAX_LINGER));
            case "shutdownTimeout" -> shutdownTimeout(key, parseDuration(key, value, MAX_TIMEOUT));
            case "overflow" -> overflow = parseOverflow(key, value);
            case "mode" -> mode = parseMode(key, value);
            case "waitStrategy" -> waitStrategy = parseWaitStrategy(key, value);
            default -> throw new IllegalArgumentException("unknown configuration key " + key
                    + ": the ringlog.* keys are name, ringSize, maxBatchSize, linger, overflow, shutdownTimeout,"
                    + " mode, waitStrategy");
        }
    }

    private static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw invalid(key, "must be an integer", value);
        }
    }

    private static OverflowPolicy parseOverflow(String key, String value) {
        String v = value.toLowerCase(Locale.ROOT);
        if (v.equals("drop")) {
            return OverflowPolicy.DROP;
        }
        if (v.equals("block")) {
            return OverflowPolicy.BLOCK;
        }
        if (v.startsWith("block:")) {
            return OverflowPolicy.blockFor(parseDuration(key, value.substring("block:".length()), MAX_TIMEOUT));
        }
        throw invalid(key, "must be drop, block or block:<duration> (block:2s)", value);
    }

    private static EventLog.Mode parseMode(String key, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "async" -> EventLog.Mode.ASYNC;
            case "sync" -> EventLog.Mode.SYNC;
            default -> throw invalid(key, "must be async or sync", value);
        };
    }

    private static EventLog.WaitStrategy parseWaitStrategy(String key, String value) {
        for (EventLog.WaitStrategy s : EventLog.WaitStrategy.values()) {
            if (s.name().equalsIgnoreCase(value)) {
                return s;
            }
        }
        throw invalid(key, "must be sleep, block, yield or spin", value);
    }

    /** Parses ISO-8601 ({@code PT0.5S}) or a number with a unit ({@code 100ms}, {@code 2s}; {@code 0}). */
    static Duration parseDuration(String key, String value, Duration max) {
        String rule = "must be a duration like 100ms, 2s or PT0.5S in [0, " + format(max) + "]";
        Matcher m = SHORT_DURATION.matcher(value.trim());
        Duration parsed;
        try {
            if (m.matches() && (m.group(2) != null || m.group(1).equals("0"))) {
                long n = Long.parseLong(m.group(1));
                parsed = switch (m.group(2) == null ? "ms" : m.group(2)) {
                    case "ns" -> Duration.ofNanos(n);
                    case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1_000L));
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            } else {
                parsed = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            throw invalid(key, rule, value);
        }
        if (parsed.isNegative() || parsed.compareTo(max) > 0) {
            throw invalid(key, rule, value);
        }
        return parsed;
    }

    private static Duration checkDuration(String key, Duration value, Duration max) {
        Objects.requireNonNull(value, key);
        if (value.isNegative() || value.compareTo(max) > 0) {
            throw invalid(key, "must be in [0, " + format(max) + "]", format(value));
        }
        return value;
    }

    static IllegalArgumentException invalid(String key, String rule, Object value) {
        return new IllegalArgumentException(key + " " + rule + ": " + key + "=" + value);
    }

    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** {@code 2s}, {@code 100ms}, {@code 1m}; ISO-8601 when no short form is exact. */
    static String format(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        long nanos = saturatedNanos(d);
        if (nanos % 3_600_000_000_000L == 0) {
            return nanos / 3_600_000_000_000L + "h";
        }
        if (nanos % 60_000_000_000L == 0) {
            return nanos / 60_000_000_000L + "m";
        }
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        return nanos % 1_000L == 0 ? nanos / 1_000L + "us" : nanos + "ns";
    }
}
