package dev.ringlog.bench;

import dev.ringlog.LogEvent;
import dev.ringlog.Sink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A second sink for {@link MultiSinkBenchmark}: each event as one JSON line, through a
 * {@code BufferedWriter} (64 KiB) into a file; {@code flush} hands the batch to the OS (no fsync). A
 * stand-in for the real file sink, which lives in its own module.
 */
final class JsonLinesSink implements Sink<LogEvent> {

    private final BufferedWriter out;
    private long lines;

    JsonLinesSink(Path file) throws IOException {
        this.out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16);
    }

    @Override
    public void add(LogEvent e) throws IOException {
        out.write("{\"id\":");
        out.write(Long.toString(e.id()));
        out.write(",\"ts\":");
        out.write(Long.toString(e.timestamp()));
        out.write(",\"type\":");
        string(e.type());
        out.write(",\"actor\":");
        string(e.actor());
        out.write(",\"payload\":");
        out.write(e.payload() == null ? "null" : e.payload()); // the payload is JSON already
        out.write("}\n");
        lines++;
    }

    private void string(String s) throws IOException {
        if (s == null) {
            out.write("null");
            return;
        }
        out.write('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.write('\\');
                out.write(c);
            } else if (c < 0x20) {
                out.write(String.format("\\u%04x", (int) c));
            } else {
                out.write(c);
            }
        }
        out.write('"');
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Lines added; read after the log is closed. */
    long lines() {
        return lines;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
