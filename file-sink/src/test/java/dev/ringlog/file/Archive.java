package dev.ringlog.file;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringlog.LogEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

/** Test helpers: keys, events with a chosen time, and the files of a directory read back. */
final class Archive {

    /** 2026-12-01T23:59:59Z: one second before a midnight. */
    static final long BEFORE_MIDNIGHT = Instant.parse("2026-12-01T23:59:59Z").getEpochSecond() * 1_000_000L;
    static final long MIDNIGHT = BEFORE_MIDNIGHT + 1_000_000L;

    private Archive() {
    }

    static SecretKey newKey() throws Exception {
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256);
        return generator.generateKey();
    }

    /** A standalone event stamped at {@code micros} (its id stays 0: only a log assigns ids). */
    static LogEvent event(long micros, String type, String actor, String payload) {
        LogEvent e = new LogEvent();
        e.set(type, actor, payload);
        e.timestamp(micros);
        return e;
    }

    /** The archive files in {@code dir}, in the order the sink wrote them. */
    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted(SegmentNames.READING_ORDER).toList();
        }
    }

    /** Every line of {@code file}, asserting that it reads clean. */
    static List<String> readClean(Path file, SecretKey key) throws IOException {
        Read read = read(file, key);
        assertTrue(read.report.clean(), read.report::toString);
        return read.lines;
    }

    static Read read(Path file, SecretKey key) throws IOException {
        List<String> lines = new ArrayList<>();
        try (FileLogReader reader = FileLogReader.open(file, key)) {
            for (String line : reader) {
                lines.add(line);
            }
            return new Read(lines, reader.report());
        }
    }

    record Read(List<String> lines, FileLogReader.Report report) {
    }

    /**
     * The four ways a sink can frame its files. Gzipped before plain encryption: AES-GCM runs slowly
     * until the JIT has compiled it, and small (compressed) frames get it compiled sooner.
     */
    enum Framing {
        PLAIN(false, false), GZIP(true, false), GZIP_ENCRYPTED(true, true), ENCRYPTED(false, true);

        final boolean gzip;
        final boolean encrypted;

        Framing(boolean gzip, boolean encrypted) {
            this.gzip = gzip;
            this.encrypted = encrypted;
        }

        <E> FileSink.Builder<E> apply(FileSink.Builder<E> b, SecretKey key) {
            b.gzip(gzip);
            return encrypted ? b.encrypt(key) : b;
        }

        String suffix() {
            return ".jsonl" + (gzip ? ".gz" : "") + (encrypted ? ".enc" : "");
        }
    }
}
