package dev.ringlog.servlet;

/** Appends JSON members to a {@code StringBuilder}; the payload of a request event. */
final class Json {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {
    }

    static void name(StringBuilder out, String name) {
        if (out.charAt(out.length() - 1) != '{') {
            out.append(',');
        }
        out.append('"').append(name).append("\":"); // names are ours: nothing to escape
    }

    static void string(StringBuilder out, String name, String value) {
        name(out, name);
        string(out, value);
    }

    static void number(StringBuilder out, String name, long value) {
        name(out, name);
        out.append(value);
    }

    static void bool(StringBuilder out, String name, boolean value) {
        name(out, name);
        out.append(value);
    }

    /** {@code value} as a JSON string, or {@code null}. */
    static void string(StringBuilder out, String value) {
        if (value == null) {
            out.append("null");
            return;
        }
        out.append('"');
        int plain = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && c != 0x2028 && c != 0x2029) {
                continue;
            }
            out.append(value, plain, i);
            plain = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append("\\u").append(HEX[c >> 12 & 15]).append(HEX[c >> 8 & 15])
                        .append(HEX[c >> 4 & 15]).append(HEX[c & 15]);
            }
        }
        out.append(value, plain, value.length()).append('"');
    }
}
