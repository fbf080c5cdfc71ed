package dev.ringlog.file;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Turns the JSON lines of one day of one batch into the bytes appended to that day's file: the lines
 * themselves (plain), one gzip member (gzip), or one {@link EncryptedFrame} (encrypted, gzipped inside
 * when gzip is on). Used on the sink thread only; its deflater, cipher and buffers are reused.
 */
final class FrameEncoder {

    private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final boolean gzip;
    private final SecretKey key;
    private final int keyId;
    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private final Cipher cipher;
    private final SecureRandom random;
    private final byte[] nonce = new byte[EncryptedFrame.NONCE_LENGTH];
    private final Bytes compressed = new Bytes(1 << 16);
    private final Bytes frame = new Bytes(1 << 16);

    /**
     * @param key the AES key, or {@code null} for no encryption
     * @throws GeneralSecurityException if the JDK has no AES-GCM or refuses the key
     */
    FrameEncoder(boolean gzip, SecretKey key, int keyId) throws GeneralSecurityException {
        this.gzip = gzip;
        this.key = key;
        this.keyId = keyId;
        this.deflater = gzip ? new Deflater(Deflater.DEFAULT_COMPRESSION, true) : null;
        if (key != null) {
            random = new SecureRandom();
            cipher = Cipher.getInstance(EncryptedFrame.CIPHER);
            random.nextBytes(nonce);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(EncryptedFrame.TAG_BITS, nonce)); // checks the key now
        } else {
            random = null;
            cipher = null;
        }
    }

    /** The frame for {@code lines}; valid until the next call. */
    Bytes encode(Bytes lines) {
        Bytes plain = gzip ? gzip(lines) : lines;
        return key == null ? plain : encrypt(plain);
    }

    void close() {
        if (deflater != null) {
            deflater.end();
        }
    }

    /** One complete gzip member (RFC 1952: minimal header, raw deflate, CRC-32 and size trailer). */
    private Bytes gzip(Bytes lines) {
        compressed.clear();
        compressed.put(GZIP_HEADER, 0, GZIP_HEADER.length);
        deflater.reset();
        deflater.setInput(lines.array, 0, lines.length);
        deflater.finish();
        while (!deflater.finished()) {
            compressed.reserve(Math.max(1 << 12, lines.length / 4));
            compressed.length += deflater.deflate(compressed.array, compressed.length, compressed.array.length - compressed.length);
        }
        crc.reset();
        crc.update(lines.array, 0, lines.length);
        compressed.putIntLittleEndian((int) crc.getValue());
        compressed.putIntLittleEndian(lines.length);
        return compressed;
    }

    private Bytes encrypt(Bytes plain) {
        frame.clear();
        frame.put(EncryptedFrame.MAGIC, 0, EncryptedFrame.MAGIC.length);
        frame.put(EncryptedFrame.VERSION);
        frame.put((byte) (gzip ? EncryptedFrame.FLAG_GZIP : 0));
        frame.putInt(keyId);
        int sealed = Math.addExact(plain.length, EncryptedFrame.TAG_LENGTH);
        frame.putInt(sealed);
        random.nextBytes(nonce);
        frame.put(nonce, 0, nonce.length);
        frame.reserve(sealed);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(EncryptedFrame.TAG_BITS, nonce));
            cipher.updateAAD(frame.array, 0, EncryptedFrame.AAD_LENGTH);
            frame.length += cipher.doFinal(plain.array, 0, plain.length, frame.array, frame.length);
        } catch (GeneralSecurityException e) {
            // The key and the cipher were accepted at build(): this is a JDK fault, not a full disk.
            throw new IllegalStateException("ringlog: AES-GCM encryption failed", e);
        }
        return frame;
    }
}
