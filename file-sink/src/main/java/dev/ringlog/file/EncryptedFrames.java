package dev.ringlog.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The frames of an encrypted file ({@link EncryptedFrame}), each authenticated before any of its
 * plaintext is returned. A frame that fails is skipped as a whole when the next header follows it
 * where its length says (a changed byte in the ciphertext, or the wrong key); otherwise (a damaged
 * header) the reader looks for the next frame that authenticates, byte by byte.
 */
final class EncryptedFrames extends FrameSource {

    private final SecretKey key;
    private final Cipher cipher;
    private final List<FileLogReader.Damage> damage;
    private final ByteBuffer header = ByteBuffer.allocate(EncryptedFrame.HEADER_LENGTH);
    private final Bytes sealed = new Bytes(1 << 16);
    private final Bytes plain = new Bytes(1 << 16);
    private long position;
    /** Set when {@link #decode} returns -1. */
    private Failure failure;
    /** Set when {@link #decode} returns -1 for a well-formed frame that did not authenticate: where it ends. */
    private long declaredEnd;

    EncryptedFrames(Input input, SecretKey key, List<FileLogReader.Damage> damage) throws IOException, GeneralSecurityException {
        super(input, damage);
        this.key = key;
        this.damage = damage;
        this.cipher = Cipher.getInstance(EncryptedFrame.CIPHER);
    }

    @Override
    Bytes next() throws IOException {
        while (position < size) {
            long start = position;
            long end = decode(start);
            if (end >= 0) {
                position = end;
                frames++;
                return plain;
            }
            Failure first = failure;
            if (declaredEnd > 0 && (declaredEnd == size || startsFrame(declaredEnd))) {
                damaged(start, declaredEnd - start, FileLogReader.Kind.TAMPERED, first.detail());
                position = declaredEnd;
                continue;
            }
            long good = resync(start + 1, EncryptedFrame.MAGIC, this::decode);
            if (good < 0) {
                damaged(start, size - start, first.truncated() ? FileLogReader.Kind.TORN_TAIL : FileLogReader.Kind.TAMPERED, first.detail());
                position = size;
                return null;
            }
            damaged(start, good - start, FileLogReader.Kind.TAMPERED, first.detail());
            position = good;
        }
        return null;
    }

    private boolean startsFrame(long at) throws IOException {
        ByteBuffer magic = ByteBuffer.allocate(4);
        return readFully(input, magic, at) && EncryptedFrame.isMagic(magic.array(), 0);
    }

    /** Authenticates and decrypts the frame at {@code at} into {@link #plain}: its end, or -1 with {@link #failure} set. */
    private long decode(long at) throws IOException {
        declaredEnd = -1;
        header.clear();
        if (!readFully(input, header, at)) {
            return fail(true, "the frame header is cut off");
        }
        byte[] h = header.array();
        if (!EncryptedFrame.isMagic(h, 0)) {
            return fail(false, "no frame header here");
        }
        if (h[4] != EncryptedFrame.VERSION) {
            return fail(false, "unknown frame version " + h[4]);
        }
        int keyId = header.getInt(6);
        int length = header.getInt(10);
        if (length < EncryptedFrame.TAG_LENGTH || length > Bytes.MAX) {
            return fail(false, "impossible frame length " + length);
        }
        long end = at + EncryptedFrame.HEADER_LENGTH + length;
        if (end > size) {
            return fail(true, "the frame is cut off (" + (size - at) + " of " + (end - at) + " bytes)");
        }
        sealed.clear();
        sealed.reserve(length);
        if (!readFully(input, ByteBuffer.wrap(sealed.array, 0, length), at + EncryptedFrame.HEADER_LENGTH)) {
            return fail(true, "the frame is cut off");
        }
        plain.clear();
        plain.reserve(length);
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(EncryptedFrame.TAG_BITS, h, EncryptedFrame.AAD_LENGTH,
                    EncryptedFrame.NONCE_LENGTH));
            cipher.updateAAD(h, 0, EncryptedFrame.AAD_LENGTH);
            plain.length = cipher.doFinal(sealed.array, 0, length, plain.array, 0);
        } catch (AEADBadTagException e) {
            declaredEnd = end;
            return fail(false, "authentication failed (frame key id " + keyId + "): the wrong key, or the bytes were altered");
        } catch (GeneralSecurityException e) {
            declaredEnd = end;
            return fail(false, "cannot decrypt (frame key id " + keyId + "): " + e);
        }
        if ((h[5] & EncryptedFrame.FLAG_GZIP) != 0) {
            GzipMembers member = new GzipMembers(Input.of(plain.array, plain.length), damage);
            Bytes lines = member.single();
            if (lines == null) {
                declaredEnd = end;
                return fail(false, "authenticated, but not one gzip member: " + member.failure().detail());
            }
            plain.clear();
            plain.put(lines.array, 0, lines.length);
        }
        return end;
    }

    private long fail(boolean truncated, String detail) {
        failure = new Failure(truncated, detail);
        return -1;
    }
}
