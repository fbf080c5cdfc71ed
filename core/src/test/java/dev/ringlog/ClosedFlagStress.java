package dev.ringlog;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import com.lmax.disruptor.RingBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The close/claim handshake of {@link ClosedFlag}: a producer that claims a sequence without seeing
 * the flag after its claim must find that sequence at or below the cursor close() read, or an
 * accepted event would lie past the drain target and stay pending after a clean close. The producer
 * runs {@code RingEventLog.claim}'s steps (read the flag, claim, read the flag again); close runs
 * {@link ClosedFlag#setThenReadCursor}. Run by {@code mvn verify} in jcstress's quick mode.
 *
 * <p>r1: the producer's outcome, the claimed sequence (0) if accepted, -1 if it saw the flag before
 * claiming, -2 if it claimed and then saw the flag (the claim is abandoned). r2: the cursor close() read.
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "accepted, and close() drains it")
@Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "closed before the producer claimed")
@Outcome(id = {"-2, 0", "-2, -1"}, expect = ACCEPTABLE, desc = "claimed, then saw closed: abandoned")
@Outcome(id = "0, -1", expect = FORBIDDEN, desc = "accepted past the drain target: it would stay pending")
@Outcome(expect = FORBIDDEN, desc = "impossible")
@State
public class ClosedFlagStress {

    private final ClosedFlag closed = new ClosedFlag();
    private final RingBuffer<Object> ring = RingBuffer.createMultiProducer(Object::new, 1);

    @Actor
    public void producer(II_Result r) {
        if (closed.isSet()) {
            r.r1 = -1;
            return;
        }
        long sequence = ring.next(); // the ring is empty: the same claim as tryNext, without its checked exception
        r.r1 = closed.isSet() ? -2 : (int) sequence;
    }

    @Actor
    public void close(II_Result r) {
        r.r2 = (int) closed.setThenReadCursor(ring);
    }
}
