package dev.ringlog.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The frames of a gzip file: concatenated gzip members, each checked against its CRC-32 and size.
 * After a bad member the reader looks for the next good one, byte by byte from just after the bad
 * member's start: a member is independent of the others, so everything after the damage is read.
 */
final class GzipMembers extends FrameSource {

    private static final int CHUNK = 1 << 16;

    /** What every member starts with: ID1, ID2, CM (deflate). */
    private static final byte[] MAGIC = {0x1f, (byte) 0x8b, 8};

    private final Bytes lines = new Bytes(CHUNK);
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
    private long position;
    /** Set when {@link #decode} returns -1. */
    private Failure failure;

    GzipMembers(Input input, List<FileLogReader.Damage> damage) throws IOException {
        super(input, damage);
    }

    @Override
    Bytes next() throws IOException {
        if (position >= size) {
            inflater.end();
            return null;
        }
        long end = decode(position);
        if (end < 0) {
            Failure first = failure;
            long start = position;
            long good = resync(start + 1, MAGIC, this::decode);
            if (good < 0) {
                damaged(start, size - start, first.truncated() ? FileLogReader.Kind.TORN_TAIL : FileLogReader.Kind.TAMPERED, first.detail());
                position = size;
                inflater.end();
                return null;
            }
            damaged(start, good - start, FileLogReader.Kind.TAMPERED, first.detail());
            end = decode(good); // decodes again what resync found good, into lines
        }
        position = end;
        frames++;
        return lines;
    }

    /** Decodes the one member of a decrypted frame; {@code null} (with {@link #failure}) if it is not one whole good member. */
    Bytes single() throws IOException {
        long end = decode(0);
        inflater.end();
        if (end == size) {
            return lines;
        }
        if (end >= 0) {
            failure = new Failure(false, "bytes after the gzip member");
        }
        return null;
    }

    Failure failure() {
        return failure;
    }

    /**
     * Decodes the member at {@code at} into {@link #lines}: its end, or -1 with {@link #failure} set.
     * Only the minimal header the sink writes is accepted (no optional fields).
     */
    private long decode(long at) throws IOException {
        lines.clear();
        ByteBuffer header = ByteBuffer.allocate(10);
        if (!readFully(input, header, at)) {
            return fail(true, "the gzip header is cut off");
        }
        byte[] h = header.array();
        if (h[0] != 0x1f || h[1] != (byte) 0x8b || h[2] != 8 || h[3] != 0) {
            return fail(false, "no gzip member header here");
        }
        inflater.reset();
        crc.reset();
        long in = at + 10;
        try {
            while (!inflater.finished()) {
                if (inflater.needsInput()) {
                    chunk.clear();
                    int n = input.read(chunk, in);
                    if (n < 0) {
                        return fail(true, "the gzip member is cut off");
                    }
                    inflater.setInput(chunk.array(), 0, n);
                    in += n;
                } else if (inflater.needsDictionary()) {
                    return fail(false, "corrupt deflate data (asks for a dictionary)");
                }
                lines.reserve(CHUNK);
                int produced = inflater.inflate(lines.array, lines.length, lines.array.length - lines.length);
                crc.update(lines.array, lines.length, produced);
                lines.length += produced;
            }
        } catch (DataFormatException | IllegalStateException e) {
            return fail(false, "corrupt deflate data (" + e.getMessage() + ")");
        }
        long trailerAt = in - inflater.getRemaining();
        ByteBuffer trailer = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        if (!readFully(input, trailer, trailerAt)) {
            return fail(true, "the gzip trailer is cut off");
        }
        if (trailer.getInt(0) != (int) crc.getValue() || trailer.getInt(4) != lines.length) {
            return fail(false, "CRC-32 or size mismatch: the bytes were altered");
        }
        return trailerAt + 8;
    }

    private long fail(boolean truncated, String detail) {
        failure = new Failure(truncated, detail);
        lines.clear();
        return -1;
    }
}
