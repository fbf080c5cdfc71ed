package dev.ringlog.logging.internal;

import java.util.List;

/**
 * Writes one JSON object, member by member: the MDC (context data) and the key-value pairs of a
 * logging event, and the payload of both with the markers. Called on the sink thread. Values keep their type where JSON has one: an integer, a
 * finite floating-point number or a boolean is written bare, {@code null} as {@code null}, anything
 * else as its {@code toString()} in a string. A repeated key is written twice (a reader keeps the last).
 */
public final class JsonObject {

    private final StringBuilder out = new StringBuilder(64).append('{');

    /** Adds one member. */
    public JsonObject add(String key, Object value) {
        member(key);
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean
                || value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || (value instanceof Double d && Double.isFinite(d)) || (value instanceof Float f && Float.isFinite(f))) {
            out.append(value);
        } else {
            string(value.toString());
        }
        return this;
    }

    /** Adds one member whose value is already JSON ({@link #toStringOrNull()} of another object); none if it is {@code null}. */
    public JsonObject addObject(String key, String json) {
        if (json != null) {
            member(key);
            out.append(json);
        }
        return this;
    }

    /** Adds one member, an array of strings; none if {@code values} is empty. */
    public JsonObject addStrings(String key, List<String> values) {
        if (!values.isEmpty()) {
            member(key);
            out.append('[');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(values.get(i));
            }
            out.append(']');
        }
        return this;
    }

    private void member(String key) {
        if (out.length() > 1) {
            out.append(',');
        }
        string(String.valueOf(key));
        out.append(':');
    }

    /** The object, or {@code null} when it has no member (the column stays {@code NULL}). */
    public String toStringOrNull() {
        return out.length() == 1 ? null : out.append('}').toString();
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
