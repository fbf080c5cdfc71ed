package dev.ringlog.kafka;

import dev.ringlog.LogEvent;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The default record value of {@link KafkaSink#forLogEvents}: one JSON object per event, UTF-8,
 * {@code {"id":..,"timestamp":..,"type":"..","actor":"..","payload":".."}}, the timestamp in
 * microseconds since the epoch (UTC), a missing string as {@code null}. The payload is a JSON string,
 * whatever it holds (a consumer that stored JSON in it parses it again). Called on the sink thread only:
 * it reuses one buffer.
 */
final class LogEventJson implements Serializer<LogEvent> {

    private static final int MAX_KEPT_CHARS = 1 << 16;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder json = new StringBuilder(256);

    @Override
    public byte[] serialize(String topic, LogEvent e) {
        StringBuilder out = json;
        out.setLength(0);
        out.append("{\"id\":").append(e.id()).append(",\"timestamp\":").append(e.timestamp());
        string(out.append(",\"type\":"), e.type());
        string(out.append(",\"actor\":"), e.actor());
        string(out.append(",\"payload\":"), e.payload());
        out.append('}');
        byte[] value = out.toString().getBytes(StandardCharsets.UTF_8);
        if (out.capacity() > MAX_KEPT_CHARS) { // one huge payload must not keep a huge buffer alive
            out.setLength(0);
            out.trimToSize();
        }
        return value;
    }

    /** A JSON string (RFC 8259): quote, backslash and control characters escaped; {@code null} as is. */
    private static void string(StringBuilder out, String s) {
        if (s == null) {
            out.append("null");
            return;
        }
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
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
