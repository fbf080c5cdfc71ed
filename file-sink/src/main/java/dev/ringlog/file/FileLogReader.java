package dev.ringlog.file;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads a file written by {@link FileSink}: decrypts, decompresses and verifies every frame, returns
 * the JSON lines of the good ones in order, and reports the bad stretches (a torn tail, altered bytes,
 * the wrong key) instead of failing the whole file.
 *
 * <pre>{@code
 * try (FileLogReader reader = FileLogReader.open(file, key)) {   // key: null unless the file is .enc
 *     for (String line : reader) { ... }
 *     FileLogReader.Report report = reader.report();              // frames, lines, damage
 * }
 * }</pre>
 *
 * <p>What each format can tell: an encrypted file authenticates each frame (header included), so a
 * changed byte or the wrong key makes that frame {@link Kind#TAMPERED} and none of its plaintext is
 * returned; a gzip file checks each member's CRC-32 and size, so a changed byte is caught the same
 * way (by a checksum, not against an attacker); a plain file has no check: a changed byte passes
 * through, and only a last line without its line break is reported ({@link Kind#TORN_TAIL}). After a
 * bad frame the reader goes on with the next good one. A single reader is used by one thread.
 *
 * <p>As a command, it prints the lines of each file to standard output and its report to standard
 * error; see {@link #main}.
 */
public final class FileLogReader implements Iterable<String>, Closeable {

    /** The exit status of {@link #main} when every file read clean. */
    public static final int EXIT_CLEAN = 0;
    /** The exit status of {@link #main} when a file had damage (torn, altered, or the wrong key). */
    public static final int EXIT_DAMAGED = 1;
    /** The exit status of {@link #main} for bad arguments or a file that cannot be opened. */
    public static final int EXIT_USAGE = 2;

    /** How a file is framed: chosen by its name ({@code .enc}, {@code .gz}), else by its first bytes. */
    public enum Format { PLAIN, GZIP, ENCRYPTED }

    /** What a damaged stretch of a file is. */
    public enum Kind {
        /** The file ends inside a frame (or a plain line): what a crash during a write leaves. */
        TORN_TAIL,
        /** A frame that fails its check (authentication tag, CRC-32) or cannot be parsed; the reader went on after it. */
        TAMPERED
    }

    /** A stretch of {@code bytes} bytes from {@code offset} that was dropped, and why. */
    public record Damage(long offset, long bytes, Kind kind, String detail) {
        @Override
        public String toString() {
            return (kind == Kind.TORN_TAIL ? "torn tail" : "tampered") + " at byte " + offset + ": " + bytes
                    + " bytes dropped (" + detail + ")";
        }
    }

    /**
     * What reading a file found: good frames read ({@code 0} for plain files, which have none), lines
     * returned, and every damaged stretch in file order. Final once the iteration has ended.
     */
    public record Report(Path file, Format format, long frames, long lines, List<Damage> damage) {

        public Report {
            damage = List.copyOf(damage);
        }

        /** Nothing was dropped. */
        public boolean clean() {
            return damage.isEmpty();
        }

        /** The file ends inside a frame: its last frame was being written when the writer stopped. */
        public boolean tornTail() {
            return !damage.isEmpty() && damage.get(damage.size() - 1).kind() == Kind.TORN_TAIL;
        }

        /** A frame in the file failed its check: altered bytes, or the wrong key. */
        public boolean tampered() {
            return damage.stream().anyMatch(d -> d.kind() == Kind.TAMPERED);
        }

        public long droppedBytes() {
            return damage.stream().mapToLong(Damage::bytes).sum();
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(file + ": " + format.name().toLowerCase() + ", "
                    + (format == Format.PLAIN ? "" : frames + " frames, ") + lines + " lines, ");
            if (clean()) {
                return s.append("clean").toString();
            }
            s.append(damage.size()).append(damage.size() == 1 ? " damaged stretch, " : " damaged stretches, ")
                    .append(droppedBytes()).append(" bytes dropped:");
            for (Damage d : damage) {
                s.append("\n  ").append(d);
            }
            return s.toString();
        }
    }

    private final Path file;
    private final Format format;
    private final FileChannel channel;
    private final FrameSource frames;
    private final List<Damage> damage = new ArrayList<>();
    private long lines;
    private boolean iterated;

    private FileLogReader(Path file, Format format, FileChannel channel, SecretKey key) throws IOException {
        this.file = file;
        this.format = format;
        this.channel = channel;
        FrameSource.Input input = FrameSource.Input.of(channel);
        try {
            this.frames = switch (format) {
                case PLAIN -> new PlainLines(input, damage);
                case GZIP -> new GzipMembers(input, damage);
                case ENCRYPTED -> new EncryptedFrames(input, key, damage);
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ringlog: this JDK has no " + EncryptedFrame.CIPHER, e);
        }
    }

    /** Opens a plain or gzip file. */
    public static FileLogReader open(Path file) throws IOException {
        return open(file, null);
    }

    /**
     * Opens a file; {@code key} is needed for an encrypted one and ignored otherwise.
     *
     * @throws IllegalArgumentException if the file is encrypted and {@code key} is null
     */
    public static FileLogReader open(Path file, SecretKey key) throws IOException {
        Objects.requireNonNull(file, "file");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            Format format = formatOf(file, channel);
            if (format == Format.ENCRYPTED && key == null) {
                throw new IllegalArgumentException("ringlog: " + file + " is encrypted: give the key (FileLogReader.open(file, key)"
                        + " or --key-file)");
            }
            return new FileLogReader(file, format, channel, key);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * The lines of the good frames, in file order, each without its line break. Single use: the
     * reader moves through the file once.
     *
     * @throws UncheckedIOException from {@code hasNext}/{@code next} if reading the file fails
     */
    @Override
    public Iterator<String> iterator() {
        if (iterated) {
            throw new IllegalStateException("ringlog: a FileLogReader iterates once; open the file again");
        }
        iterated = true;
        return new Iterator<>() {
            private Bytes frame;
            private int at;
            private boolean ended;

            @Override
            public boolean hasNext() {
                while (!ended && (frame == null || at >= frame.length)) {
                    try {
                        frame = frames.next();
                    } catch (IOException e) {
                        throw new UncheckedIOException("ringlog: reading " + file + " failed", e);
                    }
                    at = 0;
                    ended = frame == null;
                }
                return !ended;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int end = at;
                while (end < frame.length && frame.array[end] != '\n') {
                    end++;
                }
                String line = new String(frame.array, at, end - at, StandardCharsets.UTF_8);
                at = end + 1;
                lines++;
                return line;
            }
        };
    }

    /** What has been read so far; the whole file's report once the iteration has ended. */
    public Report report() {
        return new Report(file, format, frames.frames, lines, damage);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /**
     * {@code java -cp ringlog-file.jar:ringlog-core.jar dev.ringlog.file.FileLogReader [--key-file k] file...}:
     * prints the JSON lines of each file to standard output and its {@link Report} to standard error.
     * Files named as the sink names them are read in the order it wrote them (by prefix, day, index),
     * whatever order the shell gives them in. The key file holds the AES key: 16, 24 or 32 bytes, raw or
     * Base64. Exits with {@value #EXIT_CLEAN} when every file read clean, {@value #EXIT_DAMAGED} when
     * one had damage, {@value #EXIT_USAGE} for bad arguments or a file that cannot be opened.
     */
    public static void main(String[] args) throws IOException {
        Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        System.exit(run(args, out, System.err));
    }

    static int run(String[] args, Writer out, PrintStream err) throws IOException {
        SecretKey key = null;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--key-file") && i + 1 < args.length) {
                try {
                    key = readKey(Path.of(args[++i]));
                } catch (IOException | IllegalArgumentException e) {
                    err.println("ringlog: cannot read the key file " + args[i] + ": " + e.getMessage());
                    return EXIT_USAGE;
                }
            } else if (args[i].startsWith("-")) {
                err.println("usage: FileLogReader [--key-file k] file...   (unknown option " + args[i] + ")");
                return EXIT_USAGE;
            } else {
                files.add(Path.of(args[i]));
            }
        }
        if (files.isEmpty()) {
            err.println("usage: FileLogReader [--key-file k] file...");
            return EXIT_USAGE;
        }
        files.sort(SegmentNames.READING_ORDER);
        int status = EXIT_CLEAN;
        for (Path file : files) {
            try (FileLogReader reader = open(file, key)) {
                for (String line : reader) {
                    out.write(line);
                    out.write('\n');
                }
                out.flush();
                Report report = reader.report();
                err.println(report);
                if (!report.clean()) {
                    status = Math.max(status, EXIT_DAMAGED);
                }
            } catch (IOException | IllegalArgumentException | UncheckedIOException e) {
                out.flush();
                err.println("ringlog: " + file + ": " + e.getMessage());
                status = EXIT_USAGE;
            }
        }
        return status;
    }

    /**
     * An AES key from a file: its Base64 text (16, 24 or 32 bytes once decoded), else 16, 24 or 32 raw
     * bytes. Base64 first: the text of a 16-byte key is 24 characters long, a raw key's length.
     */
    static SecretKey readKey(Path keyFile) throws IOException {
        byte[] bytes = Files.readAllBytes(keyFile);
        try {
            byte[] decoded = Base64.getDecoder().decode(new String(bytes, StandardCharsets.ISO_8859_1).strip());
            if (isAesLength(decoded.length)) {
                return new SecretKeySpec(decoded, "AES");
            }
        } catch (IllegalArgumentException notBase64) {
            // raw bytes
        }
        if (!isAesLength(bytes.length)) {
            throw new IllegalArgumentException("the key must be 16, 24 or 32 bytes, raw or Base64; the file has " + bytes.length + " bytes");
        }
        return new SecretKeySpec(bytes, "AES");
    }

    private static boolean isAesLength(int n) {
        return n == 16 || n == 24 || n == 32;
    }

    private static Format formatOf(Path file, FileChannel channel) throws IOException {
        String name = file.getFileName().toString();
        if (name.endsWith(".enc")) {
            return Format.ENCRYPTED;
        }
        if (name.endsWith(".gz")) {
            return Format.GZIP;
        }
        if (name.endsWith(".jsonl")) {
            return Format.PLAIN;
        }
        ByteBuffer start = ByteBuffer.allocate(4);
        FrameSource.readFully(FrameSource.Input.of(channel), start, 0);
        byte[] b = start.array();
        if (start.position() == 4 && EncryptedFrame.isMagic(b, 0)) {
            return Format.ENCRYPTED;
        }
        return start.position() >= 2 && b[0] == 0x1f && b[1] == (byte) 0x8b ? Format.GZIP : Format.PLAIN;
    }
}
