package dev.ringlog.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One file of one UTC day, created by this sink: {@code <prefix>-<date>[.<index>].jsonl[.gz][.enc]}.
 * Used on the sink thread only.
 *
 * <p>{@link #committed} is the end of the last frame known to be complete: what a retry truncates
 * back to. The sink only appends to files it created itself (a restarted sink starts the day's next
 * index), so nothing before {@code committed} can be a torn frame of someone else.
 */
final class Segment {

    final long day;
    final int index;
    final Path path;
    /** Bytes of complete frames: the file is truncated back to this after a failed write. */
    long committed;
    /** A write since {@link #committed} may have left bytes after it: truncate before the next one. */
    boolean dirty;
    private FileChannel channel;

    private Segment(long day, int index, Path path) {
        this.day = day;
        this.index = index;
        this.path = path;
    }

    /** Creates the day's file with the first index not taken, from {@code fromIndex} on. */
    static Segment create(SegmentNames names, long day, int fromIndex) throws IOException {
        for (int index = fromIndex; ; index++) {
            Path path = names.path(day, index);
            try {
                Segment s = new Segment(day, index, path);
                s.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return s;
            } catch (FileAlreadyExistsException taken) {
                // an earlier run's file (possibly with a torn tail) or another writer's: never append to it
                if (index == Integer.MAX_VALUE) {
                    throw taken;
                }
            }
        }
    }

    /** Writes the whole frame at {@link #committed}; the file is dirty until {@link #commit}. */
    void write(Bytes frame) throws IOException {
        reopen();
        dirty = true;
        ByteBuffer buffer = ByteBuffer.wrap(frame.array, 0, frame.length);
        long position = committed;
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
    }

    /** fdatasync: the data and the file's size, which is what reading it back needs. */
    void force() throws IOException {
        channel.force(false);
    }

    void commit(long bytes) {
        committed += bytes;
        dirty = false;
    }

    /** Cuts off whatever a failed write left after the last complete frame. */
    void truncate() throws IOException {
        reopen();
        channel.truncate(committed);
        dirty = false;
    }

    void close() throws IOException {
        channel.close();
    }

    /**
     * Opens the file of a segment closed earlier to append to it again: a late event of a day whose
     * file was closed. {@code false} if the file is not as this sink left it (removed, or of another
     * size): then it is left alone and the day's next index is started.
     */
    boolean resume() throws IOException {
        FileChannel reopened;
        try {
            reopened = FileChannel.open(path, StandardOpenOption.WRITE);
        } catch (NoSuchFileException gone) {
            return false;
        }
        if (reopened.size() != committed) {
            reopened.close();
            return false;
        }
        channel = reopened;
        return true;
    }

    /**
     * Opens the file again when its channel was closed under the sink: an interrupt of the sink thread
     * during a write ({@code ClosedByInterruptException}) closes the channel, and the file may still
     * need its torn tail cut off. Not {@code CREATE}: a file someone removed is not recreated with a
     * hole before {@code committed}; the failure is the caller's to handle.
     */
    private void reopen() throws IOException {
        if (!channel.isOpen()) {
            channel = FileChannel.open(path, StandardOpenOption.WRITE);
        }
    }
}
