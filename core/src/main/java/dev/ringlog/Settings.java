package dev.ringlog;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.Function;
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
    /**
     * The grammar of every value read from a map: ASCII only, no blanks, no separators. A number is 1 to
     * 18 ASCII digits (so it cannot overflow a long); a word is compared with ASCII case folding only.
     */
    private static final Pattern INTEGER = Pattern.compile("[0-9]{1,10}");
    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]{1,18})(ns|us|ms|s|m|h)");
    private static final Pattern ISO_DURATION = Pattern.compile("PT(?:[0-9]{1,9}H)?(?:[0-9]{1,9}M)?(?:[0-9]{1,9}(?:\\.[0-9]{1,9})?S)?");
    private static final Pattern WORD = Pattern.compile("[A-Za-z]{1,16}");
    private static final Pattern LONG = Pattern.compile("[0-9]{1,18}");
    static final long MIN_JOURNAL_BYTES = 1L << 20;
    static final long MAX_JOURNAL_BYTES = 1L << 50;
    private static final Pattern RATE = Pattern.compile("0|1|0\\.[0-9]{1,9}|1\\.0{1,9}");

    String name = "default";
    int ringSize = 65_536;
    /** 0 until set: then the default, {@code min(1000, ringSize)}, follows the ring size. */
    int maxBatchSize;
    /** How maxBatchSize was set ({@code maxBatchSize} or {@code ringlog.maxBatchSize}), for start()'s message. */
    private String maxBatchSizeKey = "maxBatchSize";
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
    boolean jmx = true;
    Map<String, String> environment = System.getenv();
    /** The journal's directory, or {@code null}: no journal. */
    Path journalDir;
    SyncPolicy journalSync = SyncPolicy.PER_BATCH;
    long journalMaxBytes = 1L << 30;
    /** {@code null} for the built-in {@link LogEvent} codec. */
    JournalCodec<? super E> journalCodec;
    EventLog.DurableAck durableAck = EventLog.DurableAck.COMMIT;
    /** The shortest and longest park of the idle SLEEP strategy, and how often an idle sink thread wakes; for tests. */
    long minIdleParkNanos = IdleWaitStrategy.MIN_PARK_NANOS;
    long maxIdleParkNanos = IdleWaitStrategy.MAX_PARK_NANOS;
    long idleTickNanos = 1_000_000_000;

    /** The sinks, in the order they were added; each with its options, applied by {@link #resolveSinks}. */
    final List<SinkOptions<E>> sinks = new ArrayList<>();
    private final Map<String, Consumer<SinkOptions<E>>> sinkCode = new LinkedHashMap<>();
    /** {@code ringlog.sinks.<name>.*} keys, checked when configured, applied after the sink's own options. */
    private final Map<String, List<Consumer<SinkOptions<E>>>> sinkKeys = new LinkedHashMap<>();
    private final Map<String, String> sinkKeyNames = new LinkedHashMap<>();
    /** The log's sampling, every sink's default: rate per event type, the key (or null: by event), how to get the type. */
    final Map<String, Double> sampleRates = new LinkedHashMap<>();
    Function<? super E, ?> sampleKey;
    Function<? super E, String> eventType;

    void addSink(String name, Sink<? super E> sink, Consumer<SinkOptions<E>> options) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw invalid("sink name", "must be 1 to 64 letters, digits, '.', '_' or '-'", name);
        }
        for (SinkOptions<E> other : sinks) {
            if (other.name.equals(name)) {
                throw new IllegalArgumentException("sink name " + name + " is taken: each sink of a log needs a name of its own");
            }
        }
        sinks.add(new SinkOptions<>(name, sink));
        sinkCode.put(name, options);
    }

    /** Gives each sink the log's settings, then its own options, then its configuration keys. Called by start(). */
    void resolveSinks() {
        if (sinks.isEmpty()) {
            throw new IllegalStateException("ringlog[" + name + "]: no sink: add one with builder(factory, sink) or sink(name, sink)");
        }
        for (String sinkName : sinkKeys.keySet()) {
            if (sinks.stream().noneMatch(s -> s.name.equals(sinkName))) {
                throw new IllegalArgumentException("unknown sink in configuration key " + sinkKeyNames.get(sinkName)
                        + ": the sinks are " + sinks.stream().map(s -> s.name).toList());
            }
        }
        for (SinkOptions<E> sink : sinks) {
            sink.inherit(this);
            sinkCode.get(sink.name).accept(sink);
            sinkKeys.getOrDefault(sink.name, List.of()).forEach(key -> key.accept(sink));
            if (sink.maxBatchSize > ringSize) {
                throw invalid(sink.maxBatchSizeKey, "must be in [1, ringSize=" + ringSize + "]", sink.maxBatchSize);
            }
        }
    }

    /**
     * The shortest non-zero linger of the sinks, or zero if none lingers: the idle sink threads (they
     * share the ring's wait strategy) wake often enough to flush the most impatient lingering batch.
     */
    Duration shortestLinger() {
        return sinks.stream().map(s -> s.linger).filter(d -> !d.isZero()).min(Duration::compareTo).orElse(Duration.ZERO);
    }

    String maxBatchSizeKey() {
        return maxBatchSizeKey;
    }

    void sample(String key, String type, double rate) {
        sampleRates.put(Objects.requireNonNull(type, "type"), checkRate(key, rate));
    }

    static double checkRate(String key, double rate) {
        if (!(rate >= 0 && rate <= 1)) { // NaN fails both
            throw invalid(key, "must be a rate in [0, 1]", rate);
        }
        return rate;
    }

    static int checkBatchSize(String key, int value) {
        if (value < 1 || value > MAX_RING) {
            throw invalid(key, "must be in [1, ringSize]", value);
        }
        return value;
    }

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
        maxBatchSize = checkBatchSize(key, value);
        maxBatchSizeKey = key;
    }

    void linger(String key, Duration value) {
        linger = checkDuration(key, value, MAX_LINGER);
    }

    void shutdownTimeout(String key, Duration value) {
        shutdownTimeout = checkDuration(key, value, MAX_TIMEOUT);
    }

    void journalMaxBytes(String key, long value) {
        if (value < MIN_JOURNAL_BYTES || value > MAX_JOURNAL_BYTES) {
            throw invalid(key, "must be in [2^20, 2^50] bytes (1 MiB to 1 PiB)", value);
        }
        journalMaxBytes = value;
    }

    /** Cross-field rules, checked once by {@code start()} after every value is in. */
    void validate() {
        if (maxBatchSize == 0) {
            maxBatchSize = Math.min(1_000, ringSize);
        }
        if (maxBatchSize > ringSize) {
            throw invalid(maxBatchSizeKey, "must be in [1, ringSize=" + ringSize + "]", maxBatchSize);
        }
        if (journalDir == null && durableAck == EventLog.DurableAck.JOURNAL) {
            throw new IllegalArgumentException("durableAck=journal needs a journal: set journal(directory) or ringlog.journal.dir");
        }
    }

    /**
     * The journal codec for events like {@code sample} (a slot of the ring): the one given, or the
     * built-in one for {@link LogEvent}.
     *
     * @throws IllegalArgumentException if there is none for this event type
     */
    @SuppressWarnings("unchecked")
    JournalCodec<? super E> journalCodecFor(Object sample) {
        if (journalCodec != null) {
            return journalCodec;
        }
        if (sample instanceof LogEvent) {
            return (JournalCodec<? super E>) (JournalCodec<?>) new LogEventCodec();
        }
        throw new IllegalArgumentException("the journal (" + journalDir + ") has no codec for events of type "
                + sample.getClass().getName() + ": only LogEvent has one built in; pass a JournalCodec with"
                + " journal(directory, sync, codec)");
    }

    /** Each sink's sampler: its rates, its key, the log's way of reading an event's type. */
    Sampler<E> sampler(SinkOptions<E> sink, E sampleEvent, long sequenceSeed) {
        Function<? super E, String> type = eventType;
        if (type == null && !sink.sampleRates.isEmpty()) {
            if (!(sampleEvent instanceof LogEvent)) {
                throw new IllegalArgumentException("sample(type, rate) needs eventType(e -> ...) to read the type"
                        + " of a " + sampleEvent.getClass().getName() + " (LogEvent's is type())");
            }
            type = e -> ((LogEvent) e).type();
        }
        return new Sampler<>(sink.sampleRates, type, sink.sampleKey, sequenceSeed);
    }

    /** The mode in force: the one set by method or key, else {@code RINGLOG_MODE}, else async. */
    EventLog.Mode resolvedMode() {
        if (mode != null) {
            return mode;
        }
        String env = environment.get("RINGLOG_MODE");
        return env == null || env.isEmpty() ? EventLog.Mode.ASYNC : parseMode("RINGLOG_MODE", env);
    }

    /** Applies every {@code ringlog.*} key of {@code config}; other keys are ignored. */
    void configure(Map<String, String> config) {
        config.forEach((key, value) -> {
            if (key.startsWith(PREFIX)) {
                apply(key, Objects.requireNonNull(value, () -> key + " has a null value"));
            }
        });
    }

    private void apply(String key, String value) {
        String setting = key.substring(PREFIX.length());
        if (setting.startsWith("sample.") && setting.length() > "sample.".length()) {
            sample(key, setting.substring("sample.".length()), parseRate(key, value));
            return;
        }
        if (setting.startsWith("sinks.")) {
            applySinkKey(key, setting.substring("sinks.".length()), value);
            return;
        }
        switch (setting) {
            case "name" -> name(key, value);
            case "ringSize" -> ringSize(key, parseInt(key, value));
            case "maxBatchSize" -> maxBatchSize(key, parseInt(key, value));
            case "linger" -> linger(key, parseDuration(key, value, MAX_LINGER));
            case "shutdownTimeout" -> shutdownTimeout(key, parseDuration(key, value, MAX_TIMEOUT));
            case "overflow" -> overflow = parseOverflow(key, value);
            case "mode" -> mode = parseMode(key, value);
            case "waitStrategy" -> waitStrategy = parseWaitStrategy(key, value);
            case "journal.dir" -> journalDir = parsePath(key, value);
            case "journal.sync" -> journalSync = parseSync(key, value);
            case "journal.maxBytes" -> journalMaxBytes(key, parseLong(key, value));
            case "journal.ack" -> durableAck = parseAck(key, value);
            default -> throw new IllegalArgumentException("unknown configuration key " + key
                    + ": the ringlog.* keys are name, ringSize, maxBatchSize, linger, overflow, shutdownTimeout,"
                    + " mode, waitStrategy, sample.<type>, sinks.<sink>.maxBatchSize, sinks.<sink>.linger,"
                    + " sinks.<sink>.sample.<type>, journal.dir, journal.sync, journal.maxBytes, journal.ack");
        }
    }

    /** {@code ringlog.sinks.<sink>.<setting>}: the value is checked now, applied to the sink by start(). */
    private void applySinkKey(String key, String rest, String value) {
        int dot = rest.indexOf('.');
        String sink = dot > 0 ? rest.substring(0, dot) : "";
        String setting = dot > 0 ? rest.substring(dot + 1) : "";
        Consumer<SinkOptions<E>> apply;
        if (setting.equals("maxBatchSize")) {
            int n = checkBatchSize(key, parseInt(key, value));
            apply = s -> s.maxBatchSize(key, n);
        } else if (setting.equals("linger")) {
            Duration d = parseDuration(key, value, MAX_LINGER);
            apply = s -> s.linger(key, d);
        } else if (setting.startsWith("sample.") && setting.length() > "sample.".length()) {
            double rate = parseRate(key, value);
            String type = setting.substring("sample.".length());
            apply = s -> s.sample(key, type, rate);
        } else {
            throw new IllegalArgumentException("unknown configuration key " + key
                    + ": the keys of a sink are ringlog.sinks.<sink>.maxBatchSize, .linger and .sample.<type>");
        }
        sinkKeys.computeIfAbsent(sink, n -> new ArrayList<>()).add(apply);
        sinkKeyNames.putIfAbsent(sink, key);
    }

    private static double parseRate(String key, String value) {
        if (!RATE.matcher(value).matches()) {
            throw invalid(key, "must be a rate in [0, 1] like 0.1", value);
        }
        return Double.parseDouble(value);
    }

    private static int parseInt(String key, String value) {
        long n = INTEGER.matcher(value).matches() ? Long.parseLong(value) : -1;
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw invalid(key, "must be an integer of digits 0-9", value);
        }
        return (int) n;
    }

    private static long parseLong(String key, String value) {
        if (!LONG.matcher(value).matches()) {
            throw invalid(key, "must be an integer of digits 0-9", value);
        }
        return Long.parseLong(value);
    }

    private static Path parsePath(String key, String value) {
        try {
            if (!value.isBlank()) {
                return Path.of(value);
            }
        } catch (InvalidPathException e) {
            // below
        }
        throw invalid(key, "must be a directory path", value);
    }

    private static SyncPolicy parseSync(String key, String value) {
        String v = word(value);
        if ("none".equals(v)) {
            return SyncPolicy.NONE;
        }
        if ("batch".equals(v)) {
            return SyncPolicy.PER_BATCH;
        }
        Duration period = durationIn(value, SyncPolicy.MIN_PERIOD, SyncPolicy.MAX_PERIOD);
        if (period != null) {
            return SyncPolicy.every(period);
        }
        String range = range(SyncPolicy.MIN_PERIOD, SyncPolicy.MAX_PERIOD);
        throw invalid(key, "must be none, batch or a period in " + range + " (100ms)", value);
    }

    private static EventLog.DurableAck parseAck(String key, String value) {
        String v = word(value);
        if ("commit".equals(v)) {
            return EventLog.DurableAck.COMMIT;
        }
        if ("journal".equals(v)) {
            return EventLog.DurableAck.JOURNAL;
        }
        throw invalid(key, "must be commit or journal", value);
    }

    /** {@code value} in lower case if it is one ASCII word, else {@code null}: no blanks, no look-alike letters. */
    private static String word(String value) {
        return WORD.matcher(value).matches() ? value.toLowerCase(Locale.ROOT) : null;
    }

    private static OverflowPolicy parseOverflow(String key, String value) {
        String rule = "must be drop, block or block:<duration> (block:2s), the duration in " + range(Duration.ZERO, MAX_TIMEOUT);
        String v = word(value);
        if ("drop".equals(v)) {
            return OverflowPolicy.DROP;
        }
        if ("block".equals(v)) {
            return OverflowPolicy.BLOCK;
        }
        int colon = value.indexOf(':');
        if (colon > 0 && "block".equals(word(value.substring(0, colon)))) {
            Duration wait = durationIn(value.substring(colon + 1), Duration.ZERO, MAX_TIMEOUT);
            if (wait != null) {
                return OverflowPolicy.blockFor(wait);
            }
        }
        throw invalid(key, rule, value);
    }

    private static EventLog.Mode parseMode(String key, String value) {
        String v = word(value);
        if ("async".equals(v)) {
            return EventLog.Mode.ASYNC;
        }
        if ("sync".equals(v)) {
            return EventLog.Mode.SYNC;
        }
        throw invalid(key, "must be async or sync", value);
    }

    private static EventLog.WaitStrategy parseWaitStrategy(String key, String value) {
        String v = word(value);
        for (EventLog.WaitStrategy s : EventLog.WaitStrategy.values()) {
            if (s.name().toLowerCase(Locale.ROOT).equals(v)) {
                return s;
            }
        }
        throw invalid(key, "must be sleep, block, yield or spin", value);
    }

    /**
     * Parses a duration in [0, max]: {@code 0}, ASCII digits with a unit ({@code 100ms}, {@code 2s}; ns, us,
     * ms, s, m, h) or ISO-8601 of hours, minutes and seconds ({@code PT0.5S}, {@code PT1M30S}).
     */
    static Duration parseDuration(String key, String value, Duration max) {
        Duration parsed = durationIn(value, Duration.ZERO, max);
        if (parsed == null) {
            throw invalid(key, "must be a duration like 100ms, 2s or PT0.5S in " + range(Duration.ZERO, max), value);
        }
        return parsed;
    }

    /**
     * The duration {@code value} spells in the grammar of {@link #parseDuration}, or {@code null} if it
     * spells none or one outside [{@code min}, {@code max}]: every duration a configuration string sets.
     */
    private static Duration durationIn(String value, Duration min, Duration max) {
        Duration d = durationOrNull(value);
        return d != null && d.compareTo(min) >= 0 && d.compareTo(max) <= 0 ? d : null;
    }

    private static Duration durationOrNull(String value) {
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = SHORT_DURATION.matcher(value);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ns" -> Duration.ofNanos(n);
                    case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1_000L));
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            return ISO_DURATION.matcher(value).matches() && value.length() > 2 ? Duration.parse(value) : null;
        } catch (DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }

    static Duration checkDuration(String key, Duration value, Duration max) {
        Objects.requireNonNull(value, key);
        return checkDuration(key, value, Duration.ZERO, max);
    }

    /** {@code value} if it is in [{@code min}, {@code max}]; else the message names {@code key}, the range and the value. */
    static Duration checkDuration(String key, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw invalid(key, "must be in " + range(min, max), format(value));
        }
        return value;
    }

    /** {@code [1ms, 1m]}: a range of durations as messages state it. */
    static String range(Duration min, Duration max) {
        return "[" + format(min) + ", " + format(max) + "]";
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
