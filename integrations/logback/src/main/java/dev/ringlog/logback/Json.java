package dev.ringlog.logback;

import java.util.List;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * Writes the MDC and the SLF4J 2 key-value pairs of an event as JSON objects. Called on the sink
 * thread. Values keep their type where JSON has one: a finite number or a boolean is written bare,
 * {@code null} as {@code null}, anything else as its {@code toString()} in a string.
 */
final class Json {

    private Json() {
    }

    /** The MDC as an object, or {@code null} when it is empty. */
    static String of(Map<String, String> mdc) {
        if (mdc == null || mdc.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder(16 * mdc.size() + 2).append('{');
        for (Map.Entry<String, String> e : mdc.entrySet()) {
            member(out, e.getKey(), e.getValue());
        }
        return out.append('}').toString();
    }

    /** The key-value pairs as an object (a repeated key: the last wins when read), or {@code null} when none. */
    static String of(List<KeyValuePair> pairs) {
        if (pairs == null || pairs.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder(16 * pairs.size() + 2).append('{');
        for (KeyValuePair p : pairs) {
            member(out, p.key, p.value);
        }
        return out.append('}').toString();
    }

    private static void member(StringBuilder out, String key, Object value) {
        if (out.length() > 1) {
            out.append(',');
        }
        string(out, String.valueOf(key));
        out.append(':');
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean
                || value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || (value instanceof Double d && Double.isFinite(d)) || (value instanceof Float f && Float.isFinite(f))) {
            out.append(value);
        } else {
            string(out, value.toString());
        }
    }

    private static void string(StringBuilder out, String s) {
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
