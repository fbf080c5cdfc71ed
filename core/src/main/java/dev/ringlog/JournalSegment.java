package dev.ringlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * One append-only file of the journal, named after the journal position of its first record. A record
 * is framed as {@code [int length][int crc32c][long position][payload of length bytes]}, the checksum
 * (CRC32C) over position and payload, so a torn or damaged record is recognised on replay.
 *
 * <p>A segment is written by the journal thread only; once a newer segment exists it is never written
 * again, and it is deleted when every sink has committed its last record.
 */
final class JournalSegment {

    static final int HEADER = 16;
    /** The longest payload replay accepts: a length beyond it is damage, not a record. */
    static final int MAX_PAYLOAD = 64 << 20;
    private static final String PREFIX = "segment-";
    private static final String SUFFIX = ".journal";

    final Path path;
    final long first;
    /** The journal position of the last record written to (or passed over in) this segment. */
    long last;
    /** The length of its whole records: a failed write may have left more on disk, see {@link #partial}. */
    long bytes;
    /** Whether a failed write left a partial record after {@link #bytes}, still to be cut. */
    boolean partial;
    private FileChannel channel;

    private JournalSegment(Path path, long first, long last, long bytes) {
        this.path = path;
        this.first = first;
        this.last = last;
        this.bytes = bytes;
    }

    /** Creates the file of a new segment whose first record will be at {@code first}. */
    static JournalSegment create(Path directory, long first) throws IOException {
        JournalSegment segment = new JournalSegment(directory.resolve(fileName(first)), first, first - 1, 0);
        segment.channel = FileChannel.open(segment.path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return segment;
    }

    /** A segment found on disk by replay: read-only from now on. */
    static JournalSegment existing(Path path, long first, long last, long bytes) {
        return new JournalSegment(path, first, last, bytes);
    }

    static String fileName(long first) {
        return String.format("%s%020d%s", PREFIX, first, SUFFIX);
    }

    /** The first position in a segment file's name, or -1 if {@code name} is not a segment's. */
    static long firstOf(String name) {
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX) || name.length() != PREFIX.length() + 20 + SUFFIX.length()) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(PREFIX.length(), PREFIX.length() + 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Frames the {@code length} payload bytes already in {@code out} after a {@link #HEADER} left free at
     * {@code at}: fills in the header, the checksum over position and payload.
     */
    static void frame(ByteBuffer out, int at, int length, long position, CRC32C crc) {
        out.putLong(at + 8, position);
        crc.reset();
        crc.update(out.slice(at + 8, 8 + length));
        out.putInt(at, length).putInt(at + 4, (int) crc.getValue());
    }

    /** Whether the record at {@code at} in {@code data} (its header and payload inside {@code end}) has a valid checksum. */
    static boolean checks(ByteBuffer data, int at, int length, CRC32C crc) {
        crc.reset();
        crc.update(data.slice(at + 8, 8 + length));
        return (int) crc.getValue() == data.getInt(at + 4);
    }

    /** Appends {@code buffer} (whole records) and counts its bytes once all are written. */
    void write(ByteBuffer buffer) throws IOException {
        int n = buffer.remaining();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        bytes += n;
    }

    void truncate(long length) throws IOException {
        channel.truncate(length);
        channel.position(length);
    }

    void force() throws IOException {
        channel.force(false);
    }

    boolean isOpen() {
        return channel != null;
    }

    void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    void delete() throws IOException {
        close();
        Files.deleteIfExists(path);
    }

    @Override
    public String toString() {
        return path.getFileName() + "[" + first + ".." + last + ", " + bytes + " bytes]";
    }
}
