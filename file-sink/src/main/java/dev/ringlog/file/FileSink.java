package dev.ringlog.file;

import dev.ringlog.LogEvent;
import dev.ringlog.Sink;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;

/**
 * A {@link Sink} that archives events as JSON lines in one file per UTC day of the event's timestamp,
 * optionally gzipped and encrypted (AES-GCM), one frame per batch and file.
 *
 * <p>Build it with {@code FileSink.forLogEvents(directory).prefix("api").gzip(true).encrypt(key)
 * .fsyncEachBatch(true).rollAtBytes(256L << 20).build()} and give it to {@code EventLog.builder}.
 * Files are named {@code <prefix>-<yyyy-MM-dd>[.<index>].jsonl[.gz][.enc]}; read them with
 * {@link FileLogReader}.
 *
 * <h2>Frames</h2>
 * Each flush appends, to the file of each day its batch holds, one frame with that day's events:
 * <ul>
 *   <li>plain ({@code .jsonl}): the JSON lines themselves; the file is ordinary JSON lines
 *       ({@code cat} works);</li>
 *   <li>gzip ({@code .jsonl.gz}): one gzip member per frame; the file is concatenated members
 *       ({@code zcat} works), each with its CRC-32;</li>
 *   <li>encrypted ({@code .jsonl.enc}, {@code .jsonl.gz.enc}): length-prefixed {@link EncryptedFrame}s,
 *       each with a fresh random 96-bit nonce and a GCM tag over its header and ciphertext.</li>
 * </ul>
 * A crash therefore leaves complete frames followed by at most one torn frame, which the reader
 * reports and drops.
 *
 * <h2>Durability and failures</h2>
 * {@link #flush} returns after every frame of the batch has been written ({@code write} returned for
 * all its bytes) and, with {@link Builder#fsyncEachBatch}, forced to the disk ({@code fdatasync}; a
 * new file's directory entry too). An {@link IOException} (a full disk, an I/O error) is retryable:
 * the engine retries the same events with backoff, as for a database outage, and dead-letters
 * nothing for the disk's fault. Before each write the sink records where the file's last complete
 * frame ends; after a failure it truncates every file the batch touched back to that point, at once
 * or, if that fails too, before the next write, so that a retried batch is written exactly once and
 * no torn frame sits before good ones. An event that has no JSON line (an unpaired surrogate in its
 * text, a custom {@link JsonEncoder} that throws or writes a line break) is that event's fault: its
 * {@code add} throws {@link IllegalArgumentException} and the engine dead-letters it alone.
 *
 * <h2>Files and handles</h2>
 * The sink only appends to files it created: when a day's file exists already (an earlier run, maybe
 * with a torn tail), it starts the day's next index; with {@link Builder#rollAtBytes} it also starts
 * the next index when a frame would take the file past the size. It keeps open the files of the days
 * of the last batch only: a midnight batch holds two; the day before is closed by the first batch
 * without events of it, and opened again for a batch with a late event of it (unless the file was
 * changed meanwhile: then that day's next index is started).
 *
 * <p>Bounds: a file write has no time limit of its own, but a {@code FileChannel} is interruptible, so
 * the interrupt with which {@code close()} of the log ends a sink thread past {@code shutdownTimeout}
 * also ends a write stuck on a hung disk or network file system; it leaves at most a torn last frame,
 * which the reader reports.
 *
 * <p>Called on the sink thread only. The key is never logged nor shown by {@link #toString}.
 *
 * @param <E> the event type
 */
public final class FileSink<E> implements Sink<E> {

    private static final System.Logger LOG = System.getLogger(FileSink.class.getName());

    /** The default {@link Builder#prefix}. */
    public static final String DEFAULT_PREFIX = "ringlog";

    /** The smallest {@link Builder#rollAtBytes}. */
    public static final long MIN_ROLL_BYTES = 4096;

    private static final int CLOSED_KEPT = 4;

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");

    /**
     * Writes one event as a JSON object on one line. Called on the sink thread only.
     *
     * <p>Append the object to {@code json} (empty when called); quote strings with
     * {@link FileSink#appendQuoted}. The line must not hold a raw line break. An exception makes this
     * event's {@code add} fail: the engine dead-letters the event.
     */
    @FunctionalInterface
    public interface JsonEncoder<E> {
        void encode(E event, StringBuilder json);
    }

    private final String description;
    private final Path directory;
    private final SegmentNames names;
    private final ToLongFunction<? super E> timestampMicros;
    private final JsonEncoder<? super E> json;
    private final FrameEncoder frames;
    private final boolean fsync;
    private final long rollAtBytes;
    private final StringBuilder line = new StringBuilder(256);
    /** The lines of the current batch, one entry per day it holds; entries past {@link #dayCount} are spares. */
    private final List<DayLines> days = new ArrayList<>();
    private int dayCount;
    /** The files this sink writes to, at most one per day: the days of the last batch. */
    private final List<Segment> open = new ArrayList<>();
    /** The last files closed, which a late event of their day opens again; at most {@link #CLOSED_KEPT}. */
    private final List<Segment> closed = new ArrayList<>();
    private final List<Segment> touched = new ArrayList<>();
    private boolean directorySyncUnsupported;

    private FileSink(Builder<E> b, FrameEncoder frames) {
        this.directory = b.directory;
        this.names = new SegmentNames(b.directory, b.prefix, b.gzip, b.key != null);
        this.timestampMicros = b.timestampMicros;
        this.json = b.json.get();
        this.frames = frames;
        this.fsync = b.fsync;
        this.rollAtBytes = b.rollAtBytes;
        this.description = "directory=" + b.directory + ", prefix=" + b.prefix + (b.gzip ? ", gzip" : "")
                + (b.key != null ? ", AES-GCM keyId=" + b.keyId : "") + (b.fsync ? ", fsyncEachBatch" : "")
                + (b.rollAtBytes > 0 ? ", rollAtBytes=" + b.rollAtBytes : "");
    }

    /**
     * A sink for the standard {@link LogEvent}: each line is
     * {@code {"id":..,"ts":"2026-12-02T23:59:59.999999Z","type":..,"actor":..,"payload":..}}, the time
     * in UTC with microseconds, the payload as a JSON string; a null field is {@code null}.
     */
    public static Builder<LogEvent> forLogEvents(Path directory) {
        // A JsonLine per sink: its date cache belongs to that sink's thread.
        return new Builder<>(directory, LogEvent::timestamp, () -> new JsonLine()::appendLogEvent);
    }

    /**
     * A sink for your own events.
     *
     * @param timestampMicros the event's time in microseconds since the epoch (UTC): chooses its day's file
     * @param json writes the event's JSON object
     */
    public static <E> Builder<E> builder(Path directory, ToLongFunction<? super E> timestampMicros, JsonEncoder<? super E> json) {
        Objects.requireNonNull(json, "json");
        return new Builder<>(directory, timestampMicros, () -> json);
    }

    /**
     * Appends {@code value} to {@code json} as a JSON string ({@code null} as {@code null}), escaping
     * quotes, backslashes, control characters and U+2028/U+2029. For {@link JsonEncoder}s.
     */
    public static void appendQuoted(StringBuilder json, String value) {
        JsonLine.quote(json, value);
    }

    /**
     * Encodes the event's line into its day's part of the batch. Called on the sink thread only.
     *
     * @throws IllegalArgumentException if the event has no JSON line (the batch so far is discarded,
     *     as the {@link Sink} contract asks)
     */
    @Override
    public void add(E event) {
        try {
            long day = Math.floorDiv(timestampMicros.applyAsLong(event), JsonLine.MICROS_PER_DAY);
            line.setLength(0);
            json.encode(event, line);
            JsonLine.encode(line, linesOf(day).lines);
        } catch (RuntimeException failure) {
            discardBatch();
            throw failure instanceof IllegalArgumentException ? failure
                    : new IllegalArgumentException("ringlog: " + this + ": cannot encode an event as a JSON line", failure);
        }
    }

    /**
     * Appends one frame per day of the batch to that day's file and, if asked, forces it to the disk.
     * Called on the sink thread only.
     *
     * @throws IOException after cutting the files back to their last complete frame (or marking them
     *     to be cut before the next write) and discarding the batch
     */
    @Override
    public void flush() throws IOException {
        if (dayCount == 0) {
            return;
        }
        try {
            cutTornTails();
            long newestDay = Long.MIN_VALUE;
            for (int i = 0; i < dayCount; i++) {
                DayLines d = days.get(i);
                Bytes frame = frames.encode(d.lines);
                Segment segment = segmentFor(d.day, frame.length);
                touched.add(segment);
                segment.write(frame);
                if (fsync) {
                    segment.force();
                }
                d.frameLength = frame.length;
                newestDay = Math.max(newestDay, d.day);
            }
            for (int i = 0; i < dayCount; i++) {
                touched.get(i).commit(days.get(i).frameLength);
            }
            closeDaysBefore(newestDay);
        } catch (IOException | RuntimeException failure) {
            for (Segment s : touched) {
                try {
                    s.truncate();
                } catch (IOException stillFailing) {
                    failure.addSuppressed(stillFailing); // still dirty: cut before the next write
                }
            }
            throw failure;
        } finally {
            touched.clear();
            discardBatch();
        }
    }

    /** {@link IOException}s (a full disk, an I/O error, a closed channel) are retried; nothing else is. */
    @Override
    public boolean isRetryable(Throwable failure) {
        return failure instanceof IOException;
    }

    /** Cuts torn tails off and closes every file. Called once, on the sink thread, after the last flush. */
    @Override
    public void close() throws IOException {
        discardBatch();
        IOException first = null;
        for (Segment s : open) {
            try {
                if (s.dirty) {
                    s.truncate();
                }
                s.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        open.clear();
        frames.close();
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "FileSink[" + description + "]";
    }

    private DayLines linesOf(long day) {
        for (int i = 0; i < dayCount; i++) {
            if (days.get(i).day == day) {
                return days.get(i);
            }
        }
        if (dayCount == days.size()) {
            days.add(new DayLines());
        }
        DayLines d = days.get(dayCount++);
        d.day = day;
        return d;
    }

    private void discardBatch() {
        for (int i = 0; i < dayCount; i++) {
            days.get(i).lines.clear();
        }
        dayCount = 0;
    }

    /** Cuts what an earlier failed write left after the last complete frame, before writing after it. */
    private void cutTornTails() throws IOException {
        for (int i = open.size() - 1; i >= 0; i--) {
            Segment s = open.get(i);
            if (!s.dirty) {
                continue;
            }
            try {
                s.truncate();
            } catch (NoSuchFileException removed) {
                open.remove(i); // someone deleted the file: nothing to cut; the day's next frame starts a new file
            }
        }
    }

    /**
     * The day's file: the open one, the one closed earlier (opened again), or a new one: the first of
     * the day, the next after a roll, or after a closed one that is not as the sink left it.
     */
    private Segment segmentFor(long day, int frameLength) throws IOException {
        Segment current = find(open, day);
        int fromIndex = 0;
        if (current == null) {
            Segment earlier = find(closed, day);
            if (earlier != null) {
                closed.remove(earlier);
                if (earlier.resume()) {
                    open.add(earlier);
                    current = earlier;
                } else {
                    fromIndex = earlier.index + 1;
                }
            }
        }
        if (current != null && (rollAtBytes == 0 || current.committed == 0 || current.committed + frameLength <= rollAtBytes)) {
            return current;
        }
        if (current != null) {
            open.remove(current);
            current.close();
            fromIndex = current.index + 1;
        }
        Files.createDirectories(directory); // removed under a running sink: make it again rather than fail forever
        Segment created = Segment.create(names, day, fromIndex);
        open.add(created);
        if (fsync) {
            syncDirectory();
        }
        return created;
    }

    private static Segment find(List<Segment> segments, long day) {
        for (Segment s : segments) {
            if (s.day == day) {
                return s;
            }
        }
        return null;
    }

    /**
     * Closes the files of days before the batch's newest that the batch did not write to. Never throws:
     * it runs after the batch is committed, and a failure here must not make the engine write it again.
     */
    private void closeDaysBefore(long newestDay) {
        for (int i = open.size() - 1; i >= 0; i--) {
            Segment s = open.get(i);
            if (s.day < newestDay && !inBatch(s.day)) {
                open.remove(i);
                closed.add(s);
                if (closed.size() > CLOSED_KEPT) {
                    closed.remove(0);
                }
                try {
                    s.close();
                } catch (IOException e) {
                    LOG.log(Level.WARNING, () -> "ringlog: " + this + ": closing " + s.path + " failed (its frames were written)", e);
                }
            }
        }
    }

    private boolean inBatch(long day) {
        for (int i = 0; i < dayCount; i++) {
            if (days.get(i).day == day) {
                return true;
            }
        }
        return false;
    }

    /** Makes a new file's name durable: fsync of the directory, where the platform can (Linux, macOS). */
    private void syncDirectory() throws IOException {
        if (directorySyncUnsupported) {
            return;
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            if (Files.isDirectory(directory)) {
                directorySyncUnsupported = true; // Windows cannot open a directory as a channel: nothing more to do there
            } else {
                throw e;
            }
        }
    }

    /** The JSON lines of one day of the current batch. */
    private static final class DayLines {
        long day;
        final Bytes lines = new Bytes(1 << 16);
        int frameLength;
    }

    /**
     * Configures a {@link FileSink}. Each value is checked by {@link #build()}; a bad one throws
     * {@link IllegalArgumentException} naming the option, the rule and the value.
     */
    public static final class Builder<E> {

        private final Path directory;
        private final ToLongFunction<? super E> timestampMicros;
        private final Supplier<JsonEncoder<? super E>> json;
        private String prefix = DEFAULT_PREFIX;
        private boolean gzip;
        private SecretKey key;
        private int keyId;
        private boolean keyIdSet;
        private boolean fsync;
        private long rollAtBytes;
        private boolean rollSet;

        private Builder(Path directory, ToLongFunction<? super E> timestampMicros, Supplier<JsonEncoder<? super E>> json) {
            this.directory = Objects.requireNonNull(directory, "directory");
            this.timestampMicros = Objects.requireNonNull(timestampMicros, "timestampMicros");
            this.json = json;
        }

        /** The start of every file name; 1 to 100 of {@code [A-Za-z0-9._-]}, not starting with a dot. Default {@value #DEFAULT_PREFIX}. */
        public Builder<E> prefix(String prefix) {
            this.prefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /** Gzips each frame (one gzip member per batch and file). Default off. */
        public Builder<E> gzip(boolean gzip) {
            this.gzip = gzip;
            return this;
        }

        /**
         * Encrypts each frame with AES-GCM under {@code key} (128, 192 or 256 bits), with a fresh random
         * 96-bit nonce per frame. Random nonces are safe for 2^32 frames per key (NIST SP 800-38D): 49 days
         * at a thousand batches a second, 13 years at ten; rotate the key (with a new {@link #keyId}) before.
         * The application owns the key; the sink never logs or shows it.
         */
        public Builder<E> encrypt(SecretKey key) {
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }

        /** A number written in each encrypted frame's header, to tell which key to read it with. Default 0; needs {@link #encrypt}. */
        public Builder<E> keyId(int keyId) {
            this.keyId = keyId;
            this.keyIdSet = true;
            return this;
        }

        /** Forces each batch to the disk ({@code fdatasync}) before {@code flush} returns. Default off. */
        public Builder<E> fsyncEachBatch(boolean fsync) {
            this.fsync = fsync;
            return this;
        }

        /**
         * Starts the day's next file ({@code <prefix>-<date>.1.jsonl...}) when a frame would take the
         * current one past {@code bytes}; a frame larger than that still goes whole into a file of its
         * own. At least {@value FileSink#MIN_ROLL_BYTES}. Default: no rolling by size.
         */
        public Builder<E> rollAtBytes(long bytes) {
            this.rollAtBytes = bytes;
            this.rollSet = true;
            return this;
        }

        /**
         * Checks the options, creates the directory if missing, and builds the sink. Opens no file:
         * the first flush creates the day's.
         *
         * @throws IllegalArgumentException naming the option, the rule and the value
         */
        public FileSink<E> build() {
            if (!PREFIX.matcher(prefix).matches()) {
                throw new IllegalArgumentException("prefix must be 1 to 100 characters of [A-Za-z0-9._-], not starting"
                        + " with '.': prefix=\"" + prefix + "\"");
            }
            if (rollSet && rollAtBytes < MIN_ROLL_BYTES) {
                throw new IllegalArgumentException("rollAtBytes must be in [" + MIN_ROLL_BYTES + ", " + Long.MAX_VALUE
                        + "]: rollAtBytes=" + rollAtBytes);
            }
            if (keyIdSet && key == null) {
                throw new IllegalArgumentException("keyId needs encrypt(key): keyId=" + keyId + " without a key");
            }
            if (key != null) {
                checkKey(key);
            }
            try {
                Files.createDirectories(directory);
            } catch (IOException e) {
                throw new IllegalArgumentException("directory must be a directory or creatable: directory=" + directory
                        + " (" + e + ")", e);
            }
            if (!Files.isWritable(directory)) {
                throw new IllegalArgumentException("directory must be writable: directory=" + directory);
            }
            try {
                return new FileSink<>(this, new FrameEncoder(gzip, key, keyId));
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("key must be an AES key of 128, 192 or 256 bits that AES/GCM accepts: key="
                        + describe(key) + " (" + e.getClass().getSimpleName() + ")", e);
            }
        }

        private static void checkKey(SecretKey key) {
            byte[] encoded = key.getEncoded(); // null for a key that stays in a hardware module: the cipher checks it then
            int bits = encoded == null ? -1 : encoded.length * 8;
            if (encoded != null) {
                java.util.Arrays.fill(encoded, (byte) 0);
            }
            if (!"AES".equalsIgnoreCase(key.getAlgorithm()) || (bits != -1 && bits != 128 && bits != 192 && bits != 256)) {
                throw new IllegalArgumentException("key must be an AES key of 128, 192 or 256 bits: key=" + describe(key));
            }
        }

        /** The key's algorithm and size, never its bytes. */
        private static String describe(SecretKey key) {
            byte[] encoded = key.getEncoded();
            String size = encoded == null ? "size unknown" : encoded.length * 8 + " bits";
            if (encoded != null) {
                java.util.Arrays.fill(encoded, (byte) 0);
            }
            return key.getAlgorithm() + ", " + size;
        }
    }
}
