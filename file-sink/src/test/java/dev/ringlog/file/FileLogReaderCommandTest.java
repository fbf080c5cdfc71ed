package dev.ringlog.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringlog.LogEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code FileLogReader}'s command, run as the README shows it: a child JVM on the two jars' classes. */
class FileLogReaderCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    /** {@code java -cp <classes of ringlog-file and ringlog-core> dev.ringlog.file.FileLogReader args...} */
    private static Run run(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FileLogReader.class.getName()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (java.io.IOException ignored) {
                // the child is gone
            }
        });
        drain.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the reader did not exit");
        drain.join();
        return new Run(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsTheLinesInTheOrderTheSinkWroteThemAndExitsByWhatItFound() throws Exception {
        SecretKey key = Archive.newKey();
        Path keyFile = Files.writeString(dir.resolve("api.key"), Base64.getEncoder().encodeToString(key.getEncoded()) + "\n");
        Path archive = Files.createDirectory(dir.resolve("archive"));
        try (FileSink<LogEvent> sink = FileSink.forLogEvents(archive).prefix("api").gzip(true).encrypt(key).rollAtBytes(4096).build()) {
            java.util.Random random = new java.util.Random(1);
            for (int i = 0; i < 30; i++) {
                byte[] noise = new byte[3000]; // incompressible: one frame (over half of 4096 bytes) per file
                random.nextBytes(noise);
                sink.add(Archive.event(Archive.MIDNIGHT + i, "t", "a" + i, Base64.getEncoder().encodeToString(noise)));
                sink.flush();
            }
        }
        List<String> args = new ArrayList<>(List.of("--key-file", keyFile.toString()));
        List<Path> files = Archive.files(archive);
        assertEquals(30, files.size(), files::toString); // indexes 0 to 29: the shell's order is not the sink's
        for (int i = files.size() - 1; i >= 0; i--) {
            args.add(files.get(i).toString()); // reversed: the command sorts them
        }
        Run clean = run(args);
        assertEquals(FileLogReader.EXIT_CLEAN, clean.exit(), clean.err());
        String[] lines = clean.out().split("\n");
        assertEquals(30, lines.length);
        for (int i = 0; i < 30; i++) {
            assertTrue(lines[i].contains("\"actor\":\"a" + i + "\""), lines[i]);
        }
        assertTrue(clean.err().contains(files.get(0) + ": encrypted, 1 frames, 1 lines, clean"), clean.err());

        Path last = files.get(files.size() - 1);
        try (FileChannel c = FileChannel.open(last, StandardOpenOption.WRITE)) {
            c.truncate(c.size() - 5);
        }
        Run torn = run(args);
        assertEquals(FileLogReader.EXIT_DAMAGED, torn.exit(), torn.err());
        assertEquals(29, torn.out().split("\n").length);
        assertTrue(torn.err().contains(last + ": encrypted, 0 frames, 0 lines, 1 damaged stretch, "), torn.err());
        assertTrue(torn.err().contains("torn tail at byte 0: "), torn.err());

        Run noKey = run(List.of(files.get(0).toString()));
        assertEquals(FileLogReader.EXIT_USAGE, noKey.exit(), noKey.err());
        assertTrue(noKey.err().contains("is encrypted: give the key"), noKey.err());
        assertEquals(FileLogReader.EXIT_USAGE, run(List.of()).exit());
    }
}
