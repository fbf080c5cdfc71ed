package dev.ringlog.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Bad options fail {@code build()} with a message naming the option, the rule and the value. */
class FileSinkConfigTest {

    @TempDir
    Path dir;

    private static void fails(String message, Executable build) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, build).getMessage());
    }

    @Test
    void prefixMustBeAFileNameStart() {
        String rule = "prefix must be 1 to 100 characters of [A-Za-z0-9._-], not starting with '.': ";
        fails(rule + "prefix=\"\"", () -> FileSink.forLogEvents(dir).prefix("").build());
        fails(rule + "prefix=\"a/b\"", () -> FileSink.forLogEvents(dir).prefix("a/b").build());
        fails(rule + "prefix=\"..\"", () -> FileSink.forLogEvents(dir).prefix("..").build());
        fails(rule + "prefix=\"" + "p".repeat(101) + "\"", () -> FileSink.forLogEvents(dir).prefix("p".repeat(101)).build());
    }

    @Test
    void rollAtBytesHasAFloor() {
        fails("rollAtBytes must be in [4096, 9223372036854775807]: rollAtBytes=4095",
                () -> FileSink.forLogEvents(dir).rollAtBytes(4095).build());
        fails("rollAtBytes must be in [4096, 9223372036854775807]: rollAtBytes=0",
                () -> FileSink.forLogEvents(dir).rollAtBytes(0).build());
    }

    @Test
    void theKeyMustBeAesOfAnAesSizeAndIsNeverShown() {
        fails("key must be an AES key of 128, 192 or 256 bits: key=AES, 80 bits",
                () -> FileSink.forLogEvents(dir).encrypt(new SecretKeySpec(new byte[10], "AES")).build());
        fails("key must be an AES key of 128, 192 or 256 bits: key=HmacSHA256, 256 bits",
                () -> FileSink.forLogEvents(dir).encrypt(new SecretKeySpec(new byte[32], "HmacSHA256")).build());
        fails("keyId needs encrypt(key): keyId=3 without a key", () -> FileSink.forLogEvents(dir).keyId(3).build());
    }

    @Test
    void theDirectoryMustBeOneTheSinkCanWrite() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FileSink.forLogEvents(file).build());
        assertEquals("directory must be a directory or creatable: directory=" + file
                + " (java.nio.file.FileAlreadyExistsException: " + file + ")", e.getMessage());
        // A missing directory is created.
        FileSink.forLogEvents(dir.resolve("new/archive")).build().close();
        assertEquals(true, Files.isDirectory(dir.resolve("new/archive")));
    }

    @Test
    void nullsAreNamed() {
        assertEquals("directory", assertThrows(NullPointerException.class, () -> FileSink.forLogEvents(null)).getMessage());
        assertEquals("key", assertThrows(NullPointerException.class, () -> FileSink.forLogEvents(dir).encrypt(null)).getMessage());
        assertEquals("prefix", assertThrows(NullPointerException.class, () -> FileSink.forLogEvents(dir).prefix(null)).getMessage());
    }
}
