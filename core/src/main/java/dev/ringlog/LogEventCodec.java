package dev.ringlog;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The journal codec of {@link LogEvent}: id, timestamp, then type, actor and payload as UTF-8 with a
 * length ({@code -1} for null; {@code writeUTF} would cap a payload at 64 KB). The id is kept, so a
 * replayed event is the same row for the sink's idempotent insert.
 */
final class LogEventCodec implements JournalCodec<LogEvent> {

    @Override
    public void write(LogEvent event, DataOutput out) throws IOException {
        out.writeLong(event.id());
        out.writeLong(event.timestamp());
        writeString(out, event.type());
        writeString(out, event.actor());
        writeString(out, event.payload());
    }

    @Override
    public void read(DataInput in, LogEvent event) throws IOException {
        long id = in.readLong();
        long timestamp = in.readLong();
        event.set(readString(in), readString(in), readString(in));
        event.id(id);
        event.timestamp(timestamp);
    }

    private static void writeString(DataOutput out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
