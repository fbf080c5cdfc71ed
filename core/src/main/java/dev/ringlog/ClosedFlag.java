package dev.ringlog;

import com.lmax.disruptor.Cursored;
import java.lang.invoke.VarHandle;

/**
 * The closed flag of a ring log, and the half of the close/claim handshake that close() runs.
 *
 * <p>The handshake: a producer reads the flag, claims a sequence (a CAS on the ring's cursor, a full
 * fence), and reads the flag again; close() sets the flag and then reads the cursor to learn the last
 * sequence it must drain. This is Dekker's pattern: each side writes one variable and then reads the
 * other, so either close() sees the claim (and drains it) or the producer's second read sees the flag
 * (and abandons the claim). It needs a StoreLoad fence on both sides between the write and the read.
 * The producer's CAS is one. On close()'s side a volatile write followed by the Disruptor's
 * {@code getCursor()} is not: that is a plain load followed by an acquire fence, which the volatile
 * write may pass (the JMM allows it, AArch64 does it; x86 HotSpot happens to hide it by fencing every
 * volatile store). Hence the explicit full fence. Proven by {@code ClosedFlagStress} (jcstress).
 */
final class ClosedFlag {

    private volatile boolean closed;

    boolean isSet() {
        return closed;
    }

    /**
     * Sets the flag, then reads {@code cursor}: every sequence claimed by a producer that did not see
     * the flag after its claim is at or below the value returned.
     */
    long setThenReadCursor(Cursored cursor) {
        closed = true;
        VarHandle.fullFence(); // StoreLoad: see the class comment
        return cursor.getCursor();
    }
}
