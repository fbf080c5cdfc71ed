package dev.ringlog.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringlog.EventLog;
import dev.ringlog.LogEvent;
import dev.ringlog.OverflowPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import javax.crypto.SecretKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A million events through a real {@link EventLog} into a {@link FileSink}, stamped by a simulated
 * clock that crosses a UTC midnight half-way, read back with {@link FileLogReader}: every event once,
 * in its own day's file, with its exact time, for each framing.
 */
class MidnightRoundTripTest {


    private static final int EVENTS = 1_000_000;

    @TempDir
    Path dir;

    private static final DateTimeFormatter ISO_MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** The simulated clock: one microsecond per event, from half a second before midnight. Used by the one producer. */
    static final class Clock {
        long next;

        Clock(long first) {
            next = first;
        }
    }

    static void stamp(LogEvent e, Clock clock) {
        long micros = clock.next++;
        e.set("page_view", "user-" + (micros % 1000), "{\"path\":\"/p/" + micros + "\",\"q\":\"a\\\"b\"}");
        e.timestamp(micros);
    }

    @ParameterizedTest
    @EnumSource(Archive.Framing.class)
    void everyEventOnceInTheFileOfItsDay(Archive.Framing framing) throws Exception {
        SecretKey key = Archive.newKey();
        FileSink<LogEvent> sink = framing.apply(FileSink.forLogEvents(dir).prefix("api"), key).build();
        EventLog<LogEvent> log = EventLog.builder(LogEvent::new, sink).name("roundtrip-" + framing)
                .ringSize(1 << 16).maxBatchSize(4096).overflow(OverflowPolicy.BLOCK).shutdownHook(false).start();
        long firstMicros = Archive.MIDNIGHT - EVENTS / 2;
        Clock clock = new Clock(firstMicros);
        try {
            for (int i = 0; i < EVENTS; i++) {
                log.publish(MidnightRoundTripTest::stamp, clock);
            }
            assertTrue(log.flush(Duration.ofSeconds(60)), log.stats()::toString);
        } finally {
            log.close();
        }
        EventLog.Stats stats = log.stats();
        assertEquals(EVENTS, stats.written(), stats::toString);
        assertEquals(0, stats.failed(), stats::toString);

        List<Path> files = Archive.files(dir);
        assertEquals(List.of("api-2026-12-01" + framing.suffix(), "api-2026-12-02" + framing.suffix()),
                files.stream().map(p -> p.getFileName().toString()).toList());
        long[] ids = new long[EVENTS];
        int n = 0;
        long firstId = 0;
        for (Path file : files) {
            String name = file.getFileName().toString();
            LocalDate day = LocalDate.parse(name.substring("api-".length(), "api-".length() + 10));
            long dayStart = day.toEpochDay() * 86_400_000_000L;
            int ofDay = 0;
            try (FileLogReader reader = FileLogReader.open(file, key)) {
                for (String line : reader) {
                    long id = Long.parseLong(line.substring(6, line.indexOf(',')));
                    if (n == 0) {
                        firstId = id;
                        // The first event published: the exact line, escaping included.
                        assertEquals("{\"id\":" + id + ",\"ts\":\"" + ISO_MICROS.format(Instant.ofEpochSecond(0, firstMicros * 1000)) + "\",\"type\":\"page_view\",\"actor\":\"user-"
                                + (firstMicros % 1000) + "\",\"payload\":\"{\\\"path\\\":\\\"/p/" + firstMicros
                                + "\\\",\\\"q\\\":\\\"a\\\\\\\"b\\\"}\"}", line);
                    }
                    // Ids are the log's base plus the sequence, and the clock ticks once per event: each
                    // line's time is its event's, and in the file of its day.
                    long micros = micros(line, day, dayStart);
                    if (micros != firstMicros + (id - firstId)) {
                        assertEquals(firstMicros + (id - firstId), micros, "the time of event " + id + " in " + name + ": " + line);
                    }
                    ids[n++] = id;
                    ofDay++;
                }
                FileLogReader.Report report = reader.report();
                assertTrue(report.clean(), report::toString);
                if (framing != Archive.Framing.PLAIN) {
                    assertTrue(report.frames() > 1, "one frame per batch: " + report);
                }
            }
            assertEquals(EVENTS / 2, ofDay, name + ": events of its day");
        }
        Arrays.sort(ids);
        for (int i = 0; i < EVENTS; i++) {
            if (ids[i] != firstId + i) {
                assertEquals(firstId + i, ids[i], "a million consecutive ids, each once");
            }
        }
    }

    /** The {@code ts} of a line, {@code yyyy-MM-ddTHH:mm:ss.ffffffZ}, which must be of {@code day}. */
    private static long micros(String line, LocalDate day, long dayStart) {
        int at = line.indexOf("\"ts\":\"") + 6;
        String ts = line.substring(at, line.indexOf('"', at));
        if (ts.length() != 27 || !ts.startsWith(day + "T") || ts.charAt(19) != '.' || ts.charAt(26) != 'Z') {
            throw new AssertionError("not a UTC time of " + day + " with microseconds: " + line);
        }
        int seconds = (Integer.parseInt(ts, 11, 13, 10) * 60 + Integer.parseInt(ts, 14, 16, 10)) * 60 + Integer.parseInt(ts, 17, 19, 10);
        return dayStart + seconds * 1_000_000L + Integer.parseInt(ts, 20, 26, 10);
    }
}
