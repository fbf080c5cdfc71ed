package dev.ringlog.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringlog.LogEvent;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Damaged files: the wrong key, a flipped byte in the middle frame, a cut-off last frame. The reader
 * returns what is good, reports what it dropped, and never returns plaintext of a frame that fails.
 */
class ReaderDamageTest {

    private static final int PER_FRAME = 200;

    @TempDir
    Path dir;
    private SecretKey key;
    /** Where each of the three frames of {@link #write} ends. */
    private final long[] frameEnds = new long[3];

    @BeforeEach
    void key() throws Exception {
        key = Archive.newKey();
    }

    /** Three batches, so three frames; returns the file. */
    private Path write(Archive.Framing framing) throws Exception {
        try (FileSink<LogEvent> sink = framing.apply(FileSink.forLogEvents(dir).prefix("api"), key).build()) {
            for (int frame = 0; frame < 3; frame++) {
                for (int i = 0; i < PER_FRAME; i++) {
                    sink.add(Archive.event(Archive.MIDNIGHT + frame * PER_FRAME + i, "t", "f" + frame + "-" + i,
                            "{\"n\":" + i + ",\"text\":\"some words to fill the frame with\"}"));
                }
                sink.flush();
                frameEnds[frame] = Files.size(dir.resolve("api-2026-12-02" + framing.suffix()));
            }
        }
        return dir.resolve("api-2026-12-02" + framing.suffix());
    }

    private static List<String> actorsOf(List<String> lines) {
        List<String> actors = new ArrayList<>();
        for (String l : lines) {
            actors.add(l.substring(l.indexOf("\"actor\":\"") + 9, l.indexOf("\",\"payload\"")));
        }
        return actors;
    }

    private static List<String> actorsOfFrames(int... frames) {
        List<String> actors = new ArrayList<>();
        for (int f : frames) {
            for (int i = 0; i < PER_FRAME; i++) {
                actors.add("f" + f + "-" + i);
            }
        }
        return actors;
    }

    @ParameterizedTest
    @EnumSource(value = Archive.Framing.class, names = {"ENCRYPTED", "GZIP_ENCRYPTED"})
    void theWrongKeyFailsAuthenticationOfEveryFrameAndReturnsNoPlaintext(Archive.Framing framing) throws Exception {
        Path file = write(framing);
        Archive.Read read = Archive.read(file, Archive.newKey());
        FileLogReader.Report report = read.report();
        assertEquals(List.of(), read.lines(), "no plaintext without the key");
        assertEquals(0, report.frames());
        assertEquals(3, report.damage().size(), report::toString);
        long at = 0;
        for (int f = 0; f < 3; f++) {
            FileLogReader.Damage d = report.damage().get(f);
            assertEquals(new FileLogReader.Damage(at, frameEnds[f] - at, FileLogReader.Kind.TAMPERED,
                    "authentication failed (frame key id 0): the wrong key, or the bytes were altered"), d);
            at = frameEnds[f];
        }
        assertTrue(report.tampered() && !report.tornTail() && report.droppedBytes() == Files.size(file), report::toString);
    }

    @ParameterizedTest
    @EnumSource(value = Archive.Framing.class, names = {"GZIP", "ENCRYPTED", "GZIP_ENCRYPTED"})
    void aFlippedByteInTheMiddleFrameDropsThatFrameAloneAndSaysSo(Archive.Framing framing) throws Exception {
        Path file = write(framing);
        long middle = (frameEnds[0] + frameEnds[1]) / 2;
        flip(file, middle);
        Archive.Read read = Archive.read(file, key);
        FileLogReader.Report report = read.report();
        assertEquals(actorsOfFrames(0, 2), actorsOf(read.lines()), "the frames before and after the damage");
        assertEquals(2, report.frames());
        assertEquals(1, report.damage().size(), report::toString);
        FileLogReader.Damage d = report.damage().get(0);
        assertEquals(FileLogReader.Kind.TAMPERED, d.kind(), report::toString);
        assertEquals(frameEnds[0], d.offset(), report::toString);
        assertEquals(frameEnds[1] - frameEnds[0], d.bytes(), report::toString);
        assertTrue(report.tampered() && !report.tornTail(), report::toString);
    }

    @Test
    void aFlippedByteInAPlainFileGoesUnnoticedUnlessItMakesALineBreak() throws Exception {
        Path file = write(Archive.Framing.PLAIN);
        long middle = (frameEnds[0] + frameEnds[1]) / 2;
        byte original = Files.readAllBytes(file)[(int) middle];
        flip(file, middle);
        Archive.Read read = Archive.read(file, key);
        assertTrue(read.report().clean(), "plain files carry no check: " + read.report());
        assertEquals(3 * PER_FRAME, read.lines().size());
        long changed = read.lines().stream().filter(l -> l.indexOf((char) (original ^ 0x01)) >= 0).count();
        assertTrue(changed >= 1, "the flipped byte comes back as it is on disk");
    }

    @ParameterizedTest
    @EnumSource(Archive.Framing.class)
    void aTruncatedLastFrameLeavesThePrefixAndIsReportedAsTheTornTail(Archive.Framing framing) throws Exception {
        Path file = write(framing);
        long cut = frameEnds[1] + (frameEnds[2] - frameEnds[1]) / 3;
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.truncate(cut);
        }
        Archive.Read read = Archive.read(file, key);
        FileLogReader.Report report = read.report();
        assertTrue(report.tornTail() && !report.tampered(), report::toString);
        if (framing == Archive.Framing.PLAIN) {
            // The plain file's frame is its lines: every complete line of the cut frame is kept.
            List<String> actors = actorsOf(read.lines());
            assertEquals(actorsOfFrames(0, 1), actors.subList(0, 2 * PER_FRAME));
            assertTrue(actors.size() > 2 * PER_FRAME && actors.size() < 3 * PER_FRAME, report::toString);
            FileLogReader.Damage d = report.damage().get(0);
            assertTrue(d.offset() > frameEnds[1] && d.offset() + d.bytes() == cut && d.bytes() < 200, report::toString);
            assertEquals(0, report.frames());
        } else {
            assertEquals(actorsOfFrames(0, 1), actorsOf(read.lines()));
            assertEquals(2, report.frames());
            assertEquals(List.of(new FileLogReader.Damage(frameEnds[1], cut - frameEnds[1], FileLogReader.Kind.TORN_TAIL,
                    report.damage().get(0).detail())), report.damage());
        }
        assertTrue(report.toString().contains("torn tail at byte " + report.damage().get(0).offset()), report::toString);
    }

    @Test
    void anEncryptedFileNeedsAKey() throws Exception {
        Path file = write(Archive.Framing.ENCRYPTED);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FileLogReader.open(file));
        assertTrue(e.getMessage().contains("is encrypted: give the key"), e::getMessage);
    }

    @Test
    void aDamagedFrameHeaderIsSkippedToTheNextFrameThatAuthenticates() throws Exception {
        Path file = write(Archive.Framing.GZIP_ENCRYPTED);
        flip(file, frameEnds[0]); // the magic of the second frame
        Archive.Read read = Archive.read(file, key);
        assertEquals(actorsOfFrames(0, 2), actorsOf(read.lines()));
        assertEquals(List.of(new FileLogReader.Damage(frameEnds[0], frameEnds[1] - frameEnds[0], FileLogReader.Kind.TAMPERED,
                "no frame header here")), read.report().damage());
        assertFalse(read.report().tornTail());
    }

    private static void flip(Path file, long at) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) at] ^= 0x01;
        Files.write(file, bytes);
    }
}
