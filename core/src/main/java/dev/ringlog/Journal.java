package dev.ringlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;

/**
 * The journal directory: its segments, the checkpoint of what the sinks committed, the byte bound, and
 * a lock that keeps a second log (in this process or another) off the same directory. Opened by
 * {@code start()}; from then on used by the journal thread only.
 */
final class Journal {

    private final Path directory;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final Checkpoint checkpoint;
    private final ArrayDeque<JournalSegment> segments = new ArrayDeque<>();
    private final long maxBytes;
    private final long segmentBytes;
    private final int ringSize;
    private JournalSegment active;
    private long liveBytes;
    private long checkpointed;

    private Journal(Path directory, FileChannel lockFile, FileLock lock, Checkpoint checkpoint, long maxBytes, int ringSize) {
        this.ringSize = ringSize;
        this.directory = directory;
        this.lockFile = lockFile;
        this.lock = lock;
        this.checkpoint = checkpoint;
        this.maxBytes = maxBytes;
        // Four segments to the bound (at most 64 MiB each, which replay reads whole): space comes back a
        // quarter at a time as the sinks commit.
        this.segmentBytes = Math.min(maxBytes / 4, 64L << 20);
    }

    /**
     * Locks {@code directory} (creating it if missing), reads what it holds, keeps for replay what may
     * not be committed, and records the new ring size in the checkpoint.
     *
     * @throws IllegalStateException if another log holds the directory, or the replay does not fit in
     *     {@code ringSize}
     */
    static Journal open(String name, Path directory, long maxBytes, int ringSize, JournalReplay[] replayOut) throws IOException {
        Files.createDirectories(directory);
        FileChannel lockFile = FileChannel.open(directory.resolve("journal.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockFile.tryLock();
        } catch (OverlappingFileLockException inThisJvm) {
            lock = null;
        }
        if (lock == null) {
            lockFile.close();
            throw new IllegalStateException("ringlog[" + name + "]: journal directory " + directory
                    + " is in use by another running log; give each log a directory of its own");
        }
        try {
            Checkpoint checkpoint = new Checkpoint(directory);
            JournalReplay replay = JournalReplay.read(name, directory, checkpoint);
            replay.checkFits(name, ringSize);
            checkpoint.write(replay.checkpoint, ringSize);
            Journal journal = new Journal(directory, lockFile, lock, checkpoint, maxBytes, ringSize);
            for (JournalSegment s : replay.segments) {
                journal.segments.add(s);
                journal.liveBytes += s.bytes;
            }
            journal.checkpointed = replay.checkpoint;
            replayOut[0] = replay;
            return journal;
        } catch (IOException | RuntimeException e) {
            lock.release();
            lockFile.close();
            throw e;
        }
    }

    /** Whether {@code bytes} more fit under {@code maxBytes}. */
    boolean hasRoomFor(long bytes) {
        return liveBytes + bytes <= maxBytes;
    }

    /** Whether nothing uncommitted is on disk: then any one record is taken, however large, so none waits forever. */
    boolean isEmpty() {
        return liveBytes == 0;
    }

    long liveBytes() {
        return liveBytes;
    }

    /**
     * Appends whole records whose positions end at {@code last}, in the active segment, or in a new one
     * when the active one is full. On failure nothing of {@code records} counts as written: the segment
     * is cut back to its last whole record, now or (if even that fails) before the next append, so no
     * partial record ever sits between whole ones.
     */
    void append(ByteBuffer records, long first, long last) throws IOException {
        if (active != null && active.partial) {
            active.truncate(active.bytes);
            active.partial = false;
        }
        if (active == null || active.bytes >= segmentBytes) {
            roll(first);
        }
        int n = records.remaining();
        try {
            active.write(records);
        } catch (IOException e) {
            active.partial = true;
            try {
                active.truncate(active.bytes);
                active.partial = false;
            } catch (IOException cutFailed) {
                e.addSuppressed(cutFailed);
            }
            throw e;
        }
        active.last = last;
        liveBytes += n;
    }

    private void roll(long first) throws IOException {
        if (active != null) {
            active.force();
            active.close();
        }
        active = null;
        JournalSegment s = JournalSegment.create(directory, first);
        segments.add(s);
        active = s;
    }

    void force() throws IOException {
        if (active != null) {
            active.force();
        }
    }

    /**
     * Records that the sinks have committed every record through {@code position}: writes the checkpoint
     * and deletes the segments wholly committed (the active one too when {@code includeActive}: at close, or when the journal is full).
     */
    void committed(long position, boolean includeActive) throws IOException {
        if (position > checkpointed) {
            checkpoint.write(position, ringSize);
            checkpointed = position;
        }
        while (!segments.isEmpty()) {
            JournalSegment oldest = segments.peekFirst();
            if (oldest.last > position || (oldest == active && !includeActive)) {
                break;
            }
            segments.pollFirst();
            if (oldest == active) {
                active = null;
            }
            oldest.delete();
            liveBytes -= oldest.bytes;
        }
    }

    long checkpointed() {
        return checkpointed;
    }

    void close() throws IOException {
        try {
            if (active != null) {
                active.close();
            }
        } finally {
            lock.release();
            lockFile.close();
        }
    }
}
