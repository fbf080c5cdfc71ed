package dev.ringlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32C;

/**
 * The journal position through which the sinks have committed, and the ring size of the log that
 * wrote it, in a 16-byte file ({@code long} position, {@code int} ring size, {@code int} CRC32C)
 * replaced atomically (written beside, then renamed over). It may lag the sinks (it is written after
 * their commits, and not synced): a restart then replays events the sink already has, which the
 * idempotent insert skips. The ring size bounds that: the ring holds every event not committed, so of
 * the records past the checkpoint only the newest ring's worth can be uncommitted. A missing or
 * damaged file reads as position -1 and ring size 0 (unknown): replay everything left on disk, the
 * same safe side.
 */
final class Checkpoint {

    private static final String FILE = "committed.checkpoint";
    private final Path file;
    private final Path next;
    private static final int SIZE = 16;
    private final ByteBuffer buffer = ByteBuffer.allocate(SIZE);
    private final CRC32C crc = new CRC32C();
    /** Set by {@link #read}: the ring size of the log that wrote the file, or 0 if unknown. */
    int ringSize;

    Checkpoint(Path directory) {
        this.file = directory.resolve(FILE);
        this.next = directory.resolve(FILE + ".next");
    }

    long read() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException none) {
            return -1;
        }
        if (bytes.length != SIZE) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        crc.reset();
        crc.update(bytes, 0, 12);
        if ((int) crc.getValue() != b.getInt(12)) {
            return -1;
        }
        ringSize = b.getInt(8);
        return b.getLong(0);
    }

    void write(long position, int ringSize) throws IOException {
        buffer.clear();
        buffer.putLong(position).putInt(ringSize);
        crc.reset();
        crc.update(buffer.array(), 0, 12);
        buffer.putInt((int) crc.getValue());
        Files.write(next, buffer.array());
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
