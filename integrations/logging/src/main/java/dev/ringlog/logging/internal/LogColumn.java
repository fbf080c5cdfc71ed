package dev.ringlog.logging.internal;

import dev.ringlog.jdbc.JdbcSink;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One column of the logging table, as a configuration declares it ({@code <column>} in logback.xml,
 * {@code <RinglogColumn>} in log4j2.xml): its name, where its value comes from (its source) and its
 * SQL type. Sources: {@code ts}, {@code level}, {@code logger}, {@code thread}, {@code message},
 * {@code throwable}, {@code markers}, {@code mdc} and {@code kv} (each as one JSON object),
 * {@code json} (one payload: {@code {"mdc":{..},"kv":{..},"markers":[..]}}), {@code mdc:<key>} and
 * {@code kv:<key>} (one value, bound as its type: a value that does not convert fails its event alone,
 * with SQLState {@code 22018}, and the engine dead-letters it).
 */
public final class LogColumn {

    private static final int MAX_VARCHAR = 16_383; // MariaDB's utf8mb4 row limit (65,535 bytes) over 4 bytes a character
    private static final Pattern VARCHAR = Pattern.compile("VARCHAR\\((\\d{1,5})\\)");

    /** The columns of a table whose configuration declares none: every fixed source, each under its own name. */
    public static final List<LogColumn> STANDARD = List.of(of(null, "ts", null), of(null, "level", null),
            of(null, "logger", null), of(null, "thread", null), of(null, "message", null), of(null, "throwable", null),
            of(null, "mdc", null), of(null, "kv", null), of(null, "markers", null));

    /** The SQL types a column can have. */
    enum Type {
        VARCHAR(Types.VARCHAR), TEXT(Types.VARCHAR), JSON(Types.VARCHAR), BIGINT(Types.BIGINT), INTEGER(Types.INTEGER),
        BOOLEAN(Types.BOOLEAN), DOUBLE(Types.DOUBLE), TIMESTAMP(Types.TIMESTAMP);

        final int jdbcType;

        Type(int jdbcType) {
            this.jdbcType = jdbcType;
        }
    }

    /** Where a column's value comes from, the types it may have, its default type and whether it is NOT NULL. */
    enum Source {
        TS(Type.TIMESTAMP, 0, EnumSet.of(Type.TIMESTAMP), true),
        LEVEL(Type.VARCHAR, 5, EnumSet.of(Type.VARCHAR, Type.TEXT), true),
        LOGGER(Type.VARCHAR, 255, EnumSet.of(Type.VARCHAR, Type.TEXT), true),
        THREAD(Type.VARCHAR, 255, EnumSet.of(Type.VARCHAR, Type.TEXT), false),
        MESSAGE(Type.TEXT, 0, EnumSet.of(Type.VARCHAR, Type.TEXT), false),
        THROWABLE(Type.TEXT, 0, EnumSet.of(Type.VARCHAR, Type.TEXT), false),
        MARKERS(Type.VARCHAR, 255, EnumSet.of(Type.VARCHAR, Type.TEXT), false),
        MDC(Type.JSON, 0, EnumSet.of(Type.JSON, Type.TEXT), false),
        KV(Type.JSON, 0, EnumSet.of(Type.JSON, Type.TEXT), false),
        JSON(Type.JSON, 0, EnumSet.of(Type.JSON, Type.TEXT), false),
        MDC_KEY(Type.VARCHAR, 255, EnumSet.complementOf(EnumSet.of(Type.JSON, Type.TIMESTAMP)), false),
        KV_KEY(Type.VARCHAR, 255, EnumSet.complementOf(EnumSet.of(Type.JSON, Type.TIMESTAMP)), false);

        final Type defaultType;
        final int defaultLength;
        final Set<Type> allowed;
        final boolean notNull;

        Source(Type defaultType, int defaultLength, Set<Type> allowed, boolean notNull) {
            this.defaultType = defaultType;
            this.defaultLength = defaultLength;
            this.allowed = allowed;
            this.notNull = notNull;
        }
    }

    private final String name;
    private final Source source;
    private final String key;
    private final Type type;
    private final int length;

    private LogColumn(String name, Source source, String key, Type type, int length) {
        this.name = name;
        this.source = source;
        this.key = key;
        this.type = type;
        this.length = length;
    }

    /**
     * A column as configured.
     *
     * @param name the column's name; may be left out ({@code null}) for a fixed source, which then names it
     * @param source a fixed source, {@code mdc:<key>} or {@code kv:<key>}
     * @param type {@code VARCHAR(n)} (n in [1, 16383]), {@code TEXT}, {@code JSON}, {@code BIGINT},
     *     {@code INTEGER}, {@code BOOLEAN}, {@code DOUBLE} or {@code TIMESTAMP}, as the source allows;
     *     {@code null} for the source's default
     * @throws IllegalArgumentException naming the column, the key, the rule and the value if one is wrong
     */
    public static LogColumn of(String name, String source, String type) {
        String src = source == null ? "" : source.trim();
        String lower = src.toLowerCase(Locale.ROOT);
        Source s;
        String key = null;
        if (lower.startsWith("mdc:") || lower.startsWith("kv:")) {
            s = lower.startsWith("mdc:") ? Source.MDC_KEY : Source.KV_KEY;
            key = src.substring(src.indexOf(':') + 1);
            if (key.isEmpty() || !key.strip().equals(key)) {
                throw new IllegalArgumentException("column " + name + ": the key after " + src.substring(0, src.indexOf(':') + 1)
                        + " must be non-empty, without leading or trailing spaces: source='" + source + "'");
            }
        } else {
            s = fixed(lower, name, source);
        }
        String columnName = name == null && key == null ? lower : name;
        if (columnName == null || !columnName.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("column name must be [A-Za-z_][A-Za-z0-9_]{0,62} (required for a source "
                    + "mdc:<key> or kv:<key>): name=" + (columnName == null ? "null" : "'" + columnName + "'")
                    + " (source='" + source + "')");
        }
        JdbcSink.checkedIdentifier("column name", columnName);
        if (columnName.equalsIgnoreCase("id")) {
            throw new IllegalArgumentException("column name id is the table's key, always there: declare another name"
                    + " (source='" + source + "')");
        }
        if (type == null || type.isBlank()) {
            return new LogColumn(columnName, s, key, s.defaultType, s.defaultLength);
        }
        String t = type.trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        Matcher varchar = VARCHAR.matcher(t.replace(" ", ""));
        Type parsed;
        int length = 0;
        if (varchar.matches()) {
            parsed = Type.VARCHAR;
            length = Integer.parseInt(varchar.group(1));
        } else {
            parsed = switch (t) {
                case "TEXT" -> Type.TEXT;
                case "JSON", "JSONB" -> Type.JSON;
                case "BIGINT" -> Type.BIGINT;
                case "INTEGER", "INT" -> Type.INTEGER;
                case "BOOLEAN" -> Type.BOOLEAN;
                case "DOUBLE", "DOUBLE PRECISION" -> Type.DOUBLE;
                case "TIMESTAMP" -> Type.TIMESTAMP;
                default -> null;
            };
        }
        if (parsed == null || !s.allowed.contains(parsed) || (parsed == Type.VARCHAR && (length < 1 || length > MAX_VARCHAR))) {
            List<String> allowed = new ArrayList<>();
            for (Type a : s.allowed) {
                allowed.add(a == Type.VARCHAR ? "VARCHAR(n) with n in [1, " + MAX_VARCHAR + "]" : a.name());
            }
            throw new IllegalArgumentException("column " + columnName + ": type must be one of " + String.join(", ", allowed)
                    + " for source " + src + ": type='" + type + "'");
        }
        return new LogColumn(columnName, s, key, parsed, length);
    }

    private static Source fixed(String lower, String name, String source) {
        for (Source s : Source.values()) {
            if (s != Source.MDC_KEY && s != Source.KV_KEY && s.name().toLowerCase(Locale.ROOT).equals(lower)) {
                return s;
            }
        }
        throw new IllegalArgumentException("column " + name + ": source must be one of ts, level, logger, thread, message,"
                + " throwable, markers, mdc, kv, json, mdc:<key> or kv:<key>: source="
                + (source == null ? "null" : "'" + source + "'"));
    }

    String name() {
        return name;
    }

    /** The column's definition in {@code CREATE TABLE}. */
    String definition(LogDialect dialect) {
        String sql = switch (type) {
            case VARCHAR -> "VARCHAR(" + length + ")";
            case TEXT -> dialect.text;
            case JSON -> dialect.json;
            case TIMESTAMP -> dialect.timestamp;
            case DOUBLE -> "DOUBLE PRECISION";
            default -> type.name();
        };
        return name + " " + sql + (source.notNull ? " NOT NULL" : "");
    }

    /** The column's parameter in the insert. */
    String parameter(LogDialect dialect) {
        return type == Type.JSON ? dialect.jsonParameter() : "?";
    }

    /** Binds this column's value of {@code entry} as parameter {@code index}. Called on the sink thread. */
    void bind(PreparedStatement ps, int index, LogEntry entry) throws SQLException {
        Object value = switch (source) {
            // Microseconds: the finest every supported database keeps (DATETIME(6), TIMESTAMP(6)).
            case TS -> LocalDateTime.ofEpochSecond(entry.epochSecond(), entry.nanoOfSecond() / 1_000 * 1_000, ZoneOffset.UTC);
            case LEVEL -> entry.level();
            case LOGGER -> entry.logger();
            case THREAD -> entry.thread();
            case MESSAGE -> entry.message();
            case THROWABLE -> entry.throwable();
            case MARKERS -> markers(entry);
            case MDC -> mdcJson(entry);
            case KV -> keyValuesJson(entry);
            case JSON -> payload(entry);
            case MDC_KEY -> entry.mdc() == null ? null : entry.mdc().get(key);
            case KV_KEY -> entry.keyValue(key);
        };
        if (value == null) {
            ps.setNull(index, type.jdbcType);
            return;
        }
        switch (type) {
            case VARCHAR, TEXT, JSON -> ps.setString(index, value.toString());
            case TIMESTAMP -> ps.setObject(index, value);
            case BIGINT -> ps.setLong(index, integral(value, Long.MIN_VALUE, Long.MAX_VALUE));
            case INTEGER -> ps.setInt(index, (int) integral(value, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case DOUBLE -> ps.setDouble(index, floating(value));
            case BOOLEAN -> ps.setBoolean(index, bool(value));
        }
    }

    private long integral(Object value, long min, long max) throws SQLDataException {
        long v;
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            v = ((Number) value).longValue();
        } else {
            try {
                v = new BigDecimal(value.toString().trim()).longValueExact(); // "42", 42.0, BigInteger; not 4.5
            } catch (ArithmeticException | NumberFormatException e) {
                throw notConverted(value, "an integer");
            }
        }
        if (v < min || v > max) {
            throw notConverted(value, "an integer in [" + min + ", " + max + "]");
        }
        return v;
    }

    private double floating(Object value) throws SQLDataException {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(value.toString().trim());
        } catch (NumberFormatException e) {
            throw notConverted(value, "a number");
        }
    }

    private boolean bool(Object value) throws SQLDataException {
        if (value instanceof Boolean b) {
            return b;
        }
        String s = value.toString().trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        throw notConverted(value, "true or false");
    }

    /** The event's fault (SQLState 22018, invalid value for cast): its message says the type of the value, never the value. */
    private SQLDataException notConverted(Object value, String wanted) {
        return new SQLDataException("ringlog: column " + name + " (" + type + ", from " + (source == Source.MDC_KEY ? "mdc:" : "kv:")
                + key + ") takes " + wanted + ", the event's value is a " + value.getClass().getSimpleName()
                + " that is not (SQLState 22018)", "22018");
    }

    private static String mdcJson(LogEntry entry) {
        Map<String, String> mdc = entry.mdc();
        if (mdc == null || mdc.isEmpty()) {
            return null;
        }
        JsonObject json = new JsonObject();
        mdc.forEach(json::add);
        return json.toStringOrNull();
    }

    private static String keyValuesJson(LogEntry entry) {
        JsonObject json = new JsonObject();
        entry.forEachKeyValue(json::add);
        return json.toStringOrNull();
    }

    private static String markers(LogEntry entry) {
        StringBuilder names = new StringBuilder();
        entry.forEachMarker(m -> names.append(names.length() > 0 ? "," : "").append(m));
        return names.length() == 0 ? null : names.toString();
    }

    private static String payload(LogEntry entry) {
        List<String> markers = new ArrayList<>();
        entry.forEachMarker(markers::add);
        return new JsonObject().addObject("mdc", mdcJson(entry)).addObject("kv", keyValuesJson(entry))
                .addStrings("markers", markers).toStringOrNull();
    }
}
