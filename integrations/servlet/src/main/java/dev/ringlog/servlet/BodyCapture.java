package dev.ringlog.servlet;

import java.nio.charset.Charset;
import java.util.Arrays;

/**
 * The first bytes of one body, as the application reads or writes it: up to a cap, and only until a
 * deadline. Written by the thread that reads or writes the body (one at a time, as the Servlet API
 * requires of a stream); read by whichever thread publishes the event (the request's, or the timeout
 * timer's). The bytes below {@code length} never change once {@code length} covers them, so a reader
 * that reads {@code length} (volatile) and then the array sees them whole, whichever copy of the
 * array it gets. Past the cap or the deadline, an append costs one volatile read.
 */
final class BodyCapture {

    private static final byte[] NONE = new byte[0];

    private final int cap;
    private final long deadlineNanos;
    private final Charset charset;
    private byte[] bytes = NONE;
    private volatile int length;
    private volatile boolean stopped;
    private volatile boolean truncated;
    private volatile boolean timedOut;
    private volatile boolean ended;
    private volatile boolean reading;

    /**
     * A capture of at most {@code cap} bytes that stops {@code timeoutNanos} after {@code startNanos}, of a
     * body in {@code charset} (characters that the application reads or writes are captured in it).
     */
    BodyCapture(int cap, long startNanos, long timeoutNanos, Charset charset) {
        this.cap = cap;
        this.deadlineNanos = startNanos + timeoutNanos;
        this.charset = charset;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    void append(int b) {
        if (room(1) > 0) {
            bytes[length] = (byte) b;
            length = length + 1; // volatile write: publishes the byte to a reader on another thread
        }
    }

    void append(byte[] b, int off, int len) {
        int n = room(len);
        if (n > 0) {
            System.arraycopy(b, off, bytes, length, n);
            length = length + n;
        }
    }

    /** Appends {@code len} characters of {@code chars}, encoded in the capture's charset. */
    void append(char[] chars, int off, int len) {
        if (!stopped && len > 0) {
            byte[] encoded = new String(chars, off, len).getBytes(charset);
            append(encoded, 0, encoded.length);
        }
    }

    void append(String s, int off, int len) {
        if (!stopped && len > 0) {
            byte[] encoded = s.substring(off, off + len).getBytes(charset);
            append(encoded, 0, encoded.length);
        }
    }

    /** How many of {@code wanted} bytes fit; grows the array; stops the capture at the cap or the deadline. */
    private int room(int wanted) {
        if (stopped || wanted <= 0) {
            return 0;
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            timedOut = true;
            stopped = true;
            return 0;
        }
        int len = length;
        int n = Math.min(wanted, cap - len);
        if (n < wanted) {
            truncated = true;
            stopped = true;
        }
        if (len + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.min(cap, Math.max(len + n, Math.max(256, bytes.length * 2))));
        }
        return n;
    }

    /** The application is inside a read of this body ({@code true}) or has returned from it. */
    void reading(boolean inRead) {
        reading = inRead;
    }

    /** Whether the application is waiting in a read of this body: the body, not the handler, holds the request. */
    boolean waitingInRead() {
        return reading;
    }

    /** The body reached its end (the stream returned -1 or reports itself finished). */
    void end() {
        ended = true;
    }

    boolean ended() {
        return ended;
    }

    /**
     * Marks the capture timed out if the body had not ended by {@code nowNanos} and the deadline has
     * passed then; returns whether it is timed out.
     */
    boolean timeOutIfUnfinished(long nowNanos) {
        if (!ended && nowNanos - deadlineNanos >= 0) {
            timedOut = true;
            stopped = true;
        }
        return timedOut;
    }

    /** The application reset the response buffer: what it had written is not the body any more. */
    void clear() {
        if (!stopped) {
            length = 0;
        }
    }

    boolean truncated() {
        return truncated;
    }

    boolean timedOut() {
        return timedOut;
    }

    String text() {
        int len = length;
        return new String(bytes, 0, len, charset);
    }
}
