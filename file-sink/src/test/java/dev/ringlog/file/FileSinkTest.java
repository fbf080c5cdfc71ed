package dev.ringlog.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringlog.DeadLetterHandler;
import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileSink} driven directly (add ... flush) and through a log: files, lines, handles. */
class FileSinkTest {

    @TempDir
    Path dir;

    @Test
    void aBatchThatSpansMidnightGoesToTwoFilesOneFrameEach() throws Exception {
        SecretKey key = Archive.newKey();
        try (FileSink<LogEvent> sink = FileSink.forLogEvents(dir).prefix("api").gzip(true).encrypt(key).build()) {
            sink.add(Archive.event(Archive.MIDNIGHT - 1, "t", "before", "1"));
            sink.add(Archive.event(Archive.MIDNIGHT, "t", "after", "2"));
            sink.add(Archive.event(Archive.MIDNIGHT - 2, "t", "late", "3"));
            sink.flush();
        }
        List<Path> files = Archive.files(dir);
        assertEquals(List.of("api-2026-12-01.jsonl.gz.enc", "api-2026-12-02.jsonl.gz.enc"),
                files.stream().map(p -> p.getFileName().toString()).toList());
        Archive.Read before = Archive.read(files.get(0), key);
        assertEquals(1, before.report().frames(), before.report()::toString);
        assertEquals(List.of(
                "{\"id\":0,\"ts\":\"2026-12-01T23:59:59.999999Z\",\"type\":\"t\",\"actor\":\"before\",\"payload\":\"1\"}",
                "{\"id\":0,\"ts\":\"2026-12-01T23:59:59.999998Z\",\"type\":\"t\",\"actor\":\"late\",\"payload\":\"3\"}"), before.lines());
        Archive.Read after = Archive.read(files.get(1), key);
        assertEquals(1, after.report().frames(), after.report()::toString);
        assertEquals(List.of("{\"id\":0,\"ts\":\"2026-12-02T00:00:00.000000Z\",\"type\":\"t\",\"actor\":\"after\",\"payload\":\"2\"}"),
                after.lines());
    }

    @Test
    void escapesWhatJsonStringsMustAndWritesNullsAsNull() throws Exception {
        String text = "q\" b\\ nl\n cr\r tab\t bell\u0007 nul\u0000 del\u007f é € \uD83D\uDE00 ls\u2028 ps\u2029 /";
        try (FileSink<LogEvent> sink = FileSink.forLogEvents(dir).build()) {
            sink.add(Archive.event(Archive.MIDNIGHT, "t", null, text));
            sink.flush();
        }
        Path file = dir.resolve("ringlog-2026-12-02.jsonl");
        assertEquals("{\"id\":0,\"ts\":\"2026-12-02T00:00:00.000000Z\",\"type\":\"t\",\"actor\":null,\"payload\":"
                + "\"q\\\" b\\\\ nl\\n cr\\r tab\\t bell\\u0007 nul\\u0000 del\u007f é € \uD83D\uDE00 ls\\u2028 ps\\u2029 /\"}\n",
                Files.readString(file));
        // A plain file is UTF-8 JSON lines: what cat shows.
        assertEquals(1, Files.readAllLines(file).size());
    }

    @Test
    void anEventWithNoJsonLineIsDeadLetteredAloneAndTheRestWritten() throws Exception {
        List<String> deadLettered = new CopyOnWriteArrayList<>();
        DeadLetterHandler<LogEvent> deadLetters = (e, cause) -> deadLettered.add(e.actor() + ": " + cause.getMessage());
        EventLog<LogEvent> log = EventLog.builder(LogEvent::new, FileSink.forLogEvents(dir).gzip(true).build())
                .deadLetters(deadLetters).shutdownHook(false).start();
        try {
            for (int i = 0; i < 100; i++) {
                String payload = i == 42 ? "broken \uD800 surrogate" : "{}";
                assertTrue(log.publish(FileSinkTest::stamp, "u" + i, payload));
            }
            assertTrue(log.flush(Duration.ofSeconds(30)), log.stats()::toString);
        } finally {
            log.close();
        }
        assertEquals(99, log.stats().written(), log.stats()::toString);
        assertEquals(1, log.stats().failed(), log.stats()::toString);
        assertEquals(1, deadLettered.size(), deadLettered::toString);
        assertTrue(deadLettered.get(0).startsWith("u42: unpaired surrogate U+D800 at index"), deadLettered::toString);
        List<String> lines = Archive.readClean(Archive.files(dir).get(0), null);
        assertEquals(99, lines.size());
        assertFalse(lines.stream().anyMatch(l -> l.contains("\"u42\"")));
    }

    private static void stamp(LogEvent e, String actor, String payload) {
        e.set("t", actor, payload);
        e.timestamp(Archive.MIDNIGHT + 1);
    }

    record Order(long micros, String customer, long cents) {
    }

    @Test
    void customEventsAreWrittenByTheirEncoderAndAnEncoderLineBreakIsTheEventsFault() throws Exception {
        FileSink<Order> sink = FileSink.<Order>builder(dir, Order::micros, (o, json) -> {
            json.append("{\"customer\":");
            FileSink.appendQuoted(json, o.customer());
            json.append(",\"cents\":").append(o.cents()).append('}');
        }).prefix("orders").build();
        try (sink) {
            sink.add(new Order(Archive.BEFORE_MIDNIGHT, "Ann \"A\"", 1250));
            sink.flush();
            FileSink<Order> raw = FileSink.<Order>builder(dir, Order::micros, (o, json) -> json.append("{\n}")).prefix("raw").build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> raw.add(new Order(0, "x", 1)));
            assertTrue(e.getMessage().contains("line break"), e::getMessage);
            raw.close();
        }
        assertEquals("{\"customer\":\"Ann \\\"A\\\"\",\"cents\":1250}\n", Files.readString(dir.resolve("orders-2026-12-01.jsonl")));
        assertFalse(Files.exists(dir.resolve("raw-1970-01-01.jsonl")));
    }

    @Test
    void aNewSinkNeverAppendsToAnEarlierRunsFileButStartsTheDaysNextIndex() throws Exception {
        Path torn = dir.resolve("api-2026-12-02.jsonl.gz");
        Files.write(torn, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0}); // an earlier run's torn member
        try (FileSink<LogEvent> sink = FileSink.forLogEvents(dir).prefix("api").gzip(true).build()) {
            sink.add(Archive.event(Archive.MIDNIGHT, "t", "a", "1"));
            sink.flush();
        }
        assertEquals(6, Files.size(torn), "the earlier file is left as it was");
        assertEquals(1, Archive.readClean(dir.resolve("api-2026-12-02.1.jsonl.gz"), null).size());
        Archive.Read earlier = Archive.read(torn, null);
        assertTrue(earlier.report().tornTail(), earlier.report()::toString);
    }

    @Test
    void rollsToTheDaysNextFileBeforeAFrameWouldPassTheSize() throws Exception {
        long roll = 16 * 1024;
        List<String> written = new ArrayList<>();
        try (FileSink<LogEvent> sink = FileSink.forLogEvents(dir).prefix("api").rollAtBytes(roll).build()) {
            for (int batch = 0; batch < 50; batch++) {
                for (int i = 0; i < 20; i++) {
                    String actor = "b" + batch + "-" + i;
                    sink.add(Archive.event(Archive.MIDNIGHT + batch, "t", actor, "x".repeat(40)));
                    written.add(actor);
                }
                sink.flush();
            }
        }
        List<Path> files = Archive.files(dir);
        assertTrue(files.size() >= 5, files::toString);
        List<String> names = new ArrayList<>();
        List<String> actors = new ArrayList<>();
        for (Path f : files) {
            names.add(f.getFileName().toString());
            assertTrue(Files.size(f) <= roll, f + ": " + Files.size(f) + " bytes");
            boolean last = f.equals(files.get(files.size() - 1));
            assertTrue(last || Files.size(f) > roll - 3_000, f + " rolled early: " + Files.size(f) + " bytes (a batch is ~2.5 KB)");
            for (String line : Archive.readClean(f, null)) {
                actors.add(line.substring(line.indexOf("\"actor\":\"") + 9, line.indexOf("\",\"payload\"")));
            }
        }
        assertEquals("api-2026-12-02.jsonl", names.get(0));
        for (int i = 1; i < names.size(); i++) {
            assertEquals("api-2026-12-02." + i + ".jsonl", names.get(i));
        }
        assertEquals(written, actors, "every event once, in order, across the rolled files");
    }

    @Test
    void keepsOnlyTheFilesOfTheLastBatchsDaysOpen() throws Exception {
        try (FileSink<LogEvent> sink = FileSink.forLogEvents(dir).prefix("api").build()) {
            sink.add(Archive.event(Archive.BEFORE_MIDNIGHT, "t", "a", "1"));
            sink.flush();
            assertEquals(1, openFilesIn(dir));
            sink.add(Archive.event(Archive.BEFORE_MIDNIGHT, "t", "a", "2"));
            sink.add(Archive.event(Archive.MIDNIGHT, "t", "a", "3"));
            sink.flush();
            assertEquals(2, openFilesIn(dir), "a midnight batch: both days open");
            sink.add(Archive.event(Archive.MIDNIGHT + 5, "t", "a", "4"));
            sink.flush();
            assertEquals(1, openFilesIn(dir), "the first batch of the new day only closes yesterday's file");
            sink.add(Archive.event(Archive.BEFORE_MIDNIGHT + 1, "t", "a", "late"));
            sink.flush();
            assertEquals(2, openFilesIn(dir));
            sink.add(Archive.event(Archive.MIDNIGHT + 86_400_000_000L, "t", "a", "next day"));
            sink.flush();
            assertEquals(1, openFilesIn(dir));
        }
        assertEquals(0, openFilesIn(dir), "close() closes every file");
        // A late event of a closed day is appended to that day's file, opened again for it.
        assertEquals(List.of("api-2026-12-01.jsonl", "api-2026-12-02.jsonl", "api-2026-12-03.jsonl"),
                Archive.files(dir).stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(3, Archive.readClean(dir.resolve("api-2026-12-01.jsonl"), null).size());
    }

    @Test
    void aClosedDaysFileChangedMeanwhileIsLeftAloneAndTheDaysNextIndexStarted() throws Exception {
        try (FileSink<LogEvent> sink = FileSink.forLogEvents(dir).prefix("api").build()) {
            sink.add(Archive.event(Archive.BEFORE_MIDNIGHT, "t", "a", "1"));
            sink.flush();
            sink.add(Archive.event(Archive.MIDNIGHT, "t", "a", "2"));
            sink.flush(); // closes the first day's file
            Files.writeString(dir.resolve("api-2026-12-01.jsonl"), "{\"someone\":\"else\"}\n", java.nio.file.StandardOpenOption.APPEND);
            sink.add(Archive.event(Archive.BEFORE_MIDNIGHT + 1, "t", "a", "late"));
            sink.flush();
        }
        assertEquals(2, Archive.readClean(dir.resolve("api-2026-12-01.jsonl"), null).size());
        assertEquals(1, Archive.readClean(dir.resolve("api-2026-12-01.1.jsonl"), null).size());
    }

    /** File descriptors of this JVM open on files in {@code dir} (Linux: /proc/self/fd). */
    private static long openFilesIn(Path dir) throws IOException {
        Path real = dir.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).startsWith(real);
                } catch (IOException gone) {
                    return false; // the descriptor of the listing itself, closed meanwhile
                }
            }).count();
        }
    }

    @Test
    void fsyncEachBatchWritesEachBatchAndTheNewFilesDirectoryEntry() throws Exception {
        SecretKey key = Archive.newKey();
        try (FileSink<LogEvent> sink = FileSink.forLogEvents(dir).encrypt(key).fsyncEachBatch(true).build()) {
            for (int batch = 0; batch < 20; batch++) {
                sink.add(Archive.event(Archive.MIDNIGHT + batch, "t", "a", String.valueOf(batch)));
                sink.flush();
                // What flush returned for is in the file, readable by another reader now.
                assertEquals(batch + 1, Archive.readClean(dir.resolve("ringlog-2026-12-02.jsonl.enc"), key).size());
            }
        }
    }

    @Test
    void theKeyIsNeitherInToStringNorInAnyFile() throws Exception {
        SecretKey key = Archive.newKey();
        FileSink<LogEvent> sink = FileSink.forLogEvents(dir).prefix("api").gzip(true).encrypt(key).keyId(7).build();
        String encoded = Base64.getEncoder().encodeToString(key.getEncoded());
        assertEquals("FileSink[directory=" + dir + ", prefix=api, gzip, AES-GCM keyId=7]", sink.toString());
        assertFalse(sink.toString().contains(encoded));
        sink.add(Archive.event(Archive.MIDNIGHT, "t", "a", "secret payload"));
        sink.flush();
        sink.close();
        byte[] file = Files.readAllBytes(dir.resolve("api-2026-12-02.jsonl.gz.enc"));
        assertFalse(new String(file, java.nio.charset.StandardCharsets.ISO_8859_1).contains("secret"));
        assertEquals(7, java.nio.ByteBuffer.wrap(file).getInt(6), "the key id in the frame header");
    }
}
