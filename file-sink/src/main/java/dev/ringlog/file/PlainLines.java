package dev.ringlog.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A plain file read in chunks of whole lines. Plain files carry no check: a changed byte goes
 * unnoticed (unless it is a line break, which splits a line in two); only a last line without its
 * line break, cut off by a crash, is reported (as a torn tail) and dropped.
 */
final class PlainLines extends FrameSource {

    private static final int CHUNK = 1 << 20;

    private final Bytes lines = new Bytes(CHUNK);
    /** Bytes read after the last line break of the previous chunk. */
    private final Bytes carry = new Bytes(1 << 12);
    private long position;

    PlainLines(Input input, List<FileLogReader.Damage> damage) throws IOException {
        super(input, damage);
    }

    @Override
    Bytes next() throws IOException {
        while (position < size) {
            lines.clear();
            lines.put(carry.array, 0, carry.length);
            carry.clear();
            lines.reserve(CHUNK);
            int n = input.read(ByteBuffer.wrap(lines.array, lines.length, CHUNK), position);
            if (n < 0) {
                break;
            }
            position += n;
            lines.length += n;
            int lastBreak = lines.length - 1;
            while (lastBreak >= 0 && lines.array[lastBreak] != '\n') {
                lastBreak--;
            }
            carry.put(lines.array, lastBreak + 1, lines.length - lastBreak - 1);
            lines.length = lastBreak + 1;
            if (lines.length > 0) {
                return lines;
            }
        }
        if (carry.length > 0) {
            damaged(size - carry.length, carry.length, FileLogReader.Kind.TORN_TAIL, "the last line has no line break");
            carry.clear();
        }
        return null;
    }
}
