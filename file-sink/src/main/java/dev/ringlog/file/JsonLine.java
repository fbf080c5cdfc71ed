package dev.ringlog.file;

import dev.ringlog.LogEvent;
import java.time.LocalDate;

/**
 * JSON text for the archive: the standard line of a {@link LogEvent}, JSON string quoting, and the
 * UTF-8 encoding of a line into a day's buffer. Used on the sink thread only.
 *
 * <p>A line is one JSON object and no line break: {@code {"id":1,"ts":"2026-12-02T23:59:59.999999Z",
 * "type":"page_view","actor":"u1","payload":"{\"path\":\"/\"}"}}. The payload is a JSON string holding
 * the event's text as it was given (it need not be JSON itself).
 */
final class JsonLine {

    static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private long cachedDay = Long.MIN_VALUE;
    private String cachedDate;

    /** Appends the standard line of {@code e}; a timestamp's date is formatted once per day. */
    void appendLogEvent(LogEvent e, StringBuilder out) {
        out.append("{\"id\":").append(e.id()).append(",\"ts\":\"");
        appendTimestamp(e.timestamp(), out);
        out.append("\",\"type\":");
        quote(out, e.type());
        out.append(",\"actor\":");
        quote(out, e.actor());
        out.append(",\"payload\":");
        quote(out, e.payload());
        out.append('}');
    }

    /** ISO-8601 UTC with six fraction digits: {@code 2026-12-02T23:59:59.999999Z}. */
    void appendTimestamp(long epochMicros, StringBuilder out) {
        long day = Math.floorDiv(epochMicros, MICROS_PER_DAY);
        long ofDay = Math.floorMod(epochMicros, MICROS_PER_DAY);
        if (day != cachedDay) {
            cachedDate = LocalDate.ofEpochDay(day).toString();
            cachedDay = day;
        }
        int seconds = (int) (ofDay / 1_000_000);
        out.append(cachedDate).append('T');
        twoDigits(out, seconds / 3600);
        out.append(':');
        twoDigits(out, seconds / 60 % 60);
        out.append(':');
        twoDigits(out, seconds % 60);
        out.append('.');
        int micros = (int) (ofDay % 1_000_000);
        for (int unit = 100_000; unit > 0; unit /= 10) {
            out.append((char) ('0' + micros / unit % 10));
        }
        out.append('Z');
    }

    private static void twoDigits(StringBuilder out, int v) {
        out.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    /**
     * Appends {@code value} as a JSON string, or {@code null}: quotes, backslashes and every control
     * character escaped, and U+2028/U+2029 too (JavaScript reads them as line breaks).
     */
    static void quote(StringBuilder out, String value) {
        if (value == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append("\\u").append(HEX[c >> 12]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * Encodes {@code line} as UTF-8 into {@code out}, followed by a newline.
     *
     * @throws IllegalArgumentException if the line holds a line break (it would split the record) or
     *     an unpaired surrogate (no UTF-8 for it): the event's fault; {@code out} is left as it was
     */
    static void encode(CharSequence line, Bytes out) {
        int start = out.length;
        int n = line.length();
        out.reserve(n + 1);
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            if (c < 0x80) {
                if (c == '\n' || c == '\r') {
                    out.length = start;
                    throw new IllegalArgumentException("a JSON line must not hold a line break (at index " + i + ")");
                }
                out.put((byte) c);
            } else if (c < 0x800) {
                out.put((byte) (0xC0 | c >> 6));
                out.put((byte) (0x80 | c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                char low = i + 1 < n ? line.charAt(i + 1) : 0;
                if (!Character.isHighSurrogate(c) || !Character.isLowSurrogate(low)) {
                    out.length = start;
                    throw new IllegalArgumentException("unpaired surrogate U+" + Integer.toHexString(c).toUpperCase()
                            + " at index " + i + ": the text is not valid UTF-16 and has no UTF-8 form");
                }
                int cp = Character.toCodePoint(c, low);
                i++;
                out.put((byte) (0xF0 | cp >> 18));
                out.put((byte) (0x80 | cp >> 12 & 0x3F));
                out.put((byte) (0x80 | cp >> 6 & 0x3F));
                out.put((byte) (0x80 | cp & 0x3F));
            } else {
                out.put((byte) (0xE0 | c >> 12));
                out.put((byte) (0x80 | c >> 6 & 0x3F));
                out.put((byte) (0x80 | c & 0x3F));
            }
        }
        out.put((byte) '\n');
    }
}
