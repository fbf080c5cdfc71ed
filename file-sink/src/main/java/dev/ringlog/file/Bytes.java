package dev.ringlog.file;

import java.util.Arrays;

/** A growable byte array reused from batch to batch: the lines of one day, or one encoded frame. */
final class Bytes {

    /** Larger than this, a frame's length no longer fits the frame header's signed 32-bit field. */
    static final int MAX = Integer.MAX_VALUE - 64;

    byte[] array;
    int length;

    Bytes(int capacity) {
        array = new byte[capacity];
    }

    void clear() {
        length = 0;
    }

    /** Makes room for {@code more} bytes after {@link #length}. */
    void reserve(int more) {
        long needed = (long) length + more;
        if (needed > array.length) {
            if (needed > MAX) {
                throw new IllegalStateException("ringlog: a frame would exceed " + MAX + " bytes: make maxBatchSize smaller");
            }
            array = Arrays.copyOf(array, (int) Math.min(MAX, Math.max(needed, 2L * array.length)));
        }
    }

    void put(byte b) {
        reserve(1);
        array[length++] = b;
    }

    void put(byte[] bytes, int offset, int count) {
        reserve(count);
        System.arraycopy(bytes, offset, array, length, count);
        length += count;
    }

    void putInt(int v) {
        reserve(4);
        array[length++] = (byte) (v >>> 24);
        array[length++] = (byte) (v >>> 16);
        array[length++] = (byte) (v >>> 8);
        array[length++] = (byte) v;
    }

    void putIntLittleEndian(int v) {
        reserve(4);
        array[length++] = (byte) v;
        array[length++] = (byte) (v >>> 8);
        array[length++] = (byte) (v >>> 16);
        array[length++] = (byte) (v >>> 24);
    }
}
