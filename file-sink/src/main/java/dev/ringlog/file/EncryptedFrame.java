package dev.ringlog.file;

/**
 * The layout of a frame of an encrypted file ({@code .enc}); every number big-endian:
 *
 * <pre>
 * offset size
 *   0     4   magic "RLFE"
 *   4     1   version, 1
 *   5     1   flags: bit 0 set when the plaintext is a gzip member
 *   6     4   key id, chosen by the application (FileSink.Builder.keyId)
 *  10     4   length of what follows the nonce: ciphertext and the 16-byte GCM tag
 *  14    12   nonce, random for each frame
 *  26     length  AES-GCM ciphertext and tag; bytes 0..13 of the header are its associated data
 * </pre>
 *
 * The plaintext is the batch's JSON lines (gzipped when the flag says so). Because the header is
 * authenticated too, a changed flag, key id or length fails the frame's tag like a changed ciphertext.
 */
final class EncryptedFrame {

    static final byte[] MAGIC = {'R', 'L', 'F', 'E'};
    static final byte VERSION = 1;
    static final int FLAG_GZIP = 1;
    static final int AAD_LENGTH = 14;
    static final int NONCE_LENGTH = 12;
    static final int HEADER_LENGTH = AAD_LENGTH + NONCE_LENGTH;
    static final int TAG_BITS = 128;
    static final int TAG_LENGTH = TAG_BITS / 8;
    static final String CIPHER = "AES/GCM/NoPadding";

    private EncryptedFrame() {
    }

    static boolean isMagic(byte[] bytes, int at) {
        return bytes[at] == MAGIC[0] && bytes[at + 1] == MAGIC[1] && bytes[at + 2] == MAGIC[2] && bytes[at + 3] == MAGIC[3];
    }
}
