package dev.ringlog;

import com.lmax.disruptor.RingBuffer;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Reads a journal directory when a log starts: the checkpoint, then every segment, keeping the records
 * past the checkpoint (journalled, not committed by the sinks) in position order for the log to replay.
 *
 * <p>Damage is never replayed. A record whose checksum fails is skipped when the record after it checks
 * (its length was intact: a flipped byte in the payload), so one bad byte costs one event, not the
 * rest of its segment. When nothing after the bad record can be framed (a length that points past the
 * end or at no valid record: a torn tail after a crash, or damage in a header) the segment is cut
 * there: what follows cannot be told apart from garbage, and guessing would replay garbage. Both are
 * counted and logged with the file and offset.
 */
final class JournalReplay {

    private static final System.Logger LOG = System.getLogger(EventLog.class.getName());

    /** The records to replay, by position: copies, so a segment's bytes are not kept past its reading. */
    final ArrayDeque<ByteBuffer> records = new ArrayDeque<>();
    final ArrayDeque<Long> positions = new ArrayDeque<>();
    /** The ring size of the log that wrote the checkpoint, 0 if unknown: see {@link #keep}. */
    private int previousRing;
    /** The segments left on disk, oldest first (those wholly committed are deleted). */
    final List<JournalSegment> segments = new ArrayList<>();
    long checkpoint;
    long nextPosition;
    long skipped;
    long cut;

    private JournalReplay() {
    }

    static JournalReplay read(String name, Path directory, Checkpoint checkpoint) throws IOException {
        JournalReplay replay = new JournalReplay();
        replay.checkpoint = checkpoint.read();
        replay.previousRing = checkpoint.ringSize;
        TreeMap<Long, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(directory)) {
            for (Path p : dir) {
                long first = JournalSegment.firstOf(p.getFileName().toString());
                if (first >= 0) {
                    files.put(first, p);
                }
            }
        }
        long last = replay.checkpoint;
        CRC32C crc = new CRC32C();
        for (var entry : files.entrySet()) {
            Path path = entry.getValue();
            ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(path));
            long segmentLast = replay.readSegment(name, path, data, crc);
            last = Math.max(last, segmentLast);
            if (segmentLast <= replay.checkpoint) {
                Files.delete(path);
            } else {
                replay.segments.add(JournalSegment.existing(path, entry.getKey(), segmentLast, data.capacity()));
            }
        }
        replay.nextPosition = last + 1;
        return replay;
    }

    /**
     * Decodes the records into the ring's first slots and publishes them as plain events (each sink
     * detects, or tolerates, one it already has: the sink contract is at-least-once); called by
     * {@code start()} before any producer or consumer runs. A record the codec cannot read
     * (its checksum was right: the codec changed) is skipped, counted and logged.
     *
     * @return the journal position of each replayed event, by ring sequence
     */
    @SuppressWarnings("unchecked")
    <E> long[] publishInto(String name, RingBuffer<E> ring, JournalCodec<? super E> codec) {
        long[] replayed = new long[records.size()];
        int n = 0;
        while (!records.isEmpty()) {
            ByteBuffer record = records.pollFirst();
            long position = positions.pollFirst();
            try {
                ((JournalCodec<Object>) codec).read(new DataInputStream(new ByteArrayInputStream(record.array(),
                        record.arrayOffset() + record.position(), record.remaining())), ring.get(n));
            } catch (IOException | RuntimeException e) {
                skipped++;
                LOG.log(Level.ERROR, () -> "ringlog[" + name + "]: journal record " + position
                        + " cannot be decoded by the codec (" + e + "); skipped", e);
                continue;
            }
            long sequence = ring.next();
            ring.publish(sequence);
            replayed[n++] = position;
        }
        return n == replayed.length ? replayed : Arrays.copyOf(replayed, n);
    }

    /**
     * Keeps a copy of the record at {@code position}, dropping the oldest kept one when there are more
     * than the ring of the log that wrote them held: that ring held every event not committed, and the
     * sink commits in order, so only the newest {@code previousRing} records past a lagging checkpoint
     * can be uncommitted.
     */
    private void keep(long position, ByteBuffer record) {
        records.add(ByteBuffer.allocate(record.remaining()).put(record).flip());
        positions.add(position);
        if (previousRing > 0 && records.size() > previousRing) {
            records.pollFirst();
            positions.pollFirst();
        }
    }

    /** @throws IllegalStateException if the records to replay do not fit in {@code ringSize} */
    void checkFits(String name, int ringSize) {
        if (records.size() > ringSize) {
            throw new IllegalStateException("ringlog[" + name + "]: the journal holds " + records.size()
                    + " events not yet committed, more than ringSize=" + ringSize
                    + " can replay: start with a ringSize of at least " + Integer.highestOneBit(records.size() * 2 - 1));
        }
    }

    /** Reads the records of one segment, keeping those past the checkpoint; returns the last position it holds. */
    private long readSegment(String name, Path path, ByteBuffer data, CRC32C crc) {
        int size = data.capacity();
        long last = -1;
        int at = 0;
        while (at < size) {
            int length = frameLength(data, at);
            if (length >= 0 && JournalSegment.checks(data, at, length, crc)) {
                long position = data.getLong(at + 8);
                if (position > checkpoint) {
                    keep(position, data.slice(at + JournalSegment.HEADER, length));
                }
                last = Math.max(last, position);
                at += JournalSegment.HEADER + length;
                continue;
            }
            int next = length < 0 ? -1 : at + JournalSegment.HEADER + length;
            if (next > 0 && next < size && isValidAt(data, next, crc)) {
                skipped++;
                int offset = at;
                LOG.log(Level.ERROR, () -> "ringlog[" + name + "]: journal record at " + path + " offset " + offset
                        + " is damaged (checksum mismatch); skipped, the records after it are replayed");
                at = next;
                continue;
            }
            cut++;
            int offset = at;
            LOG.log(Level.WARNING, () -> "ringlog[" + name + "]: journal " + path + " cut at offset " + offset + ": "
                    + (size - offset) + " bytes there frame no valid record (a torn tail after a crash, or damage);"
                    + " they are not replayed");
            break;
        }
        return last;
    }

    /** The payload length of a frame at {@code at} that fits in {@code data}, or -1. */
    private static int frameLength(ByteBuffer data, int at) {
        if (data.capacity() - at < JournalSegment.HEADER) {
            return -1;
        }
        int length = data.getInt(at);
        return length < 0 || length > JournalSegment.MAX_PAYLOAD || length > data.capacity() - at - JournalSegment.HEADER ? -1 : length;
    }

    private static boolean isValidAt(ByteBuffer data, int at, CRC32C crc) {
        int length = frameLength(data, at);
        return length >= 0 && JournalSegment.checks(data, at, length, crc);
    }
}
