package dev.ringlog.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * The frames of one archive file, in order, for {@link FileLogReader}: each good frame's JSON lines;
 * each bad stretch of bytes reported as a {@link FileLogReader.Damage} and skipped.
 */
abstract class FrameSource {

    /** Reads bytes at a position: a file, or a decrypted frame in memory. */
    interface Input {
        /** Reads into {@code dst} from {@code position}; -1 at the end. */
        int read(ByteBuffer dst, long position) throws IOException;

        long size() throws IOException;

        static Input of(FileChannel file) {
            return new Input() {
                @Override
                public int read(ByteBuffer dst, long position) throws IOException {
                    return file.read(dst, position);
                }

                @Override
                public long size() throws IOException {
                    return file.size();
                }
            };
        }

        static Input of(byte[] array, int length) {
            return new Input() {
                @Override
                public int read(ByteBuffer dst, long position) {
                    if (position >= length) {
                        return -1;
                    }
                    int n = (int) Math.min(dst.remaining(), length - position);
                    dst.put(array, (int) position, n);
                    return n;
                }

                @Override
                public long size() {
                    return length;
                }
            };
        }
    }

    /** What a failed decode found: the frame ends past the end of the file, or it is wrong. */
    record Failure(boolean truncated, String detail) {
    }

    final Input input;
    final long size;
    private final List<FileLogReader.Damage> damage;
    long frames;

    FrameSource(Input input, List<FileLogReader.Damage> damage) throws IOException {
        this.input = input;
        this.size = input.size();
        this.damage = damage;
    }

    /** The next good frame's lines (valid until the next call), or {@code null} at the end of the file. */
    abstract Bytes next() throws IOException;

    /** Decodes the frame at a position: its end, or -1 if there is no good frame there. */
    interface Decoder {
        long decode(long at) throws IOException;
    }

    /**
     * The start of the first good frame at or after {@code from}, or -1: every position where
     * {@code magic} starts is tried with {@code decoder}. How a reader goes on after damage.
     */
    long resync(long from, byte[] magic, Decoder decoder) throws IOException {
        ByteBuffer window = ByteBuffer.allocate(1 << 16);
        byte[] w = window.array();
        for (long at = from; at + magic.length <= size; ) {
            window.clear();
            int n = input.read(window, at);
            if (n <= 0) {
                return -1;
            }
            for (int i = 0; i + magic.length <= n; i++) {
                if (startsWith(w, i, magic) && decoder.decode(at + i) >= 0) {
                    return at + i;
                }
            }
            at += Math.max(1, n - magic.length + 1); // a magic cut by the window's end is tried in the next one
        }
        return -1;
    }

    private static boolean startsWith(byte[] w, int i, byte[] magic) {
        for (int k = 0; k < magic.length; k++) {
            if (w[i + k] != magic[k]) {
                return false;
            }
        }
        return true;
    }

    void damaged(long offset, long bytes, FileLogReader.Kind kind, String detail) {
        damage.add(new FileLogReader.Damage(offset, bytes, kind, detail));
    }

    /** Reads {@code dst.remaining()} bytes at {@code position}; {@code false} if the end comes first. */
    static boolean readFully(Input source, ByteBuffer dst, long position) throws IOException {
        while (dst.hasRemaining()) {
            int n = source.read(dst, position);
            if (n < 0) {
                return false;
            }
            position += n;
        }
        return true;
    }
}
