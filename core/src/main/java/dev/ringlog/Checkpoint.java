package dev.ringlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32C;

/**
 * The journal position through which the sinks have committed, in a 12-byte file ({@code long}
 * position, {@code int} CRC32C) replaced atomically (written beside, then renamed over). It may lag
 * the sinks (it is written after their commits, and not synced): a restart then replays events the
 * sink already has, which the idempotent insert skips. A missing or damaged file reads as -1: replay
 * everything left on disk, the same safe side.
 */
final class Checkpoint {

    private static final String FILE = "committed.checkpoint";
    private final Path file;
    private final Path next;
    private final ByteBuffer buffer = ByteBuffer.allocate(12);
    private final CRC32C crc = new CRC32C();

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
        if (bytes.length != 12) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        crc.reset();
        crc.update(bytes, 0, 8);
        return (int) crc.getValue() == b.getInt(8) ? b.getLong(0) : -1;
    }

    void write(long position) throws IOException {
        buffer.clear();
        buffer.putLong(position);
        crc.reset();
        crc.update(buffer.array(), 0, 8);
        buffer.putInt((int) crc.getValue());
        Files.write(next, buffer.array());
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
