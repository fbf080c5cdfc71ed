package dev.ringlog;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The sink thread's wait for events when producers do not signal: spin, then yield, then park for
 * periods that double up to 100 ms. {@link #signalAllWhenBlocking()} does nothing, so a publish pays
 * for no lock, no atomic and no system call; the price is that a sink thread idle for a while
 * notices a new event only at its next wake-up (at most {@link #MAX_PARK_NANOS} later), and that an
 * idle log costs about ten short wake-ups a second. {@code flush}, {@code close} and
 * {@code publishDurable} unpark it directly, and so does every publish of a sequence that is a
 * multiple of an eighth of the ring: a burst after an idle spell wakes the sink thread long before the
 * ring can fill, at the cost of one {@code unpark} per eighth of a ring. Under load the parks stay
 * short: every wake-up that finds events starts the next wait from a spin again.
 *
 * <p>Unlike the Disruptor's {@code SleepingWaitStrategy} it gives up after {@code timeoutNanos} with
 * {@link TimeoutException}, so the sink thread can flush a lingering batch while no event arrives.
 */
final class IdleWaitStrategy implements WaitStrategy {

    static final long MAX_PARK_NANOS = 100_000_000;
    static final long MIN_PARK_NANOS = 50_000;
    private static final int SPINS = 100;
    private static final int YIELDS = 100;
    private static final int FOREVER = Integer.MAX_VALUE;

    private final int spins;
    private final int yields;
    private final long minParkNanos;
    private final long maxParkNanos;
    private final long timeoutNanos;

    private IdleWaitStrategy(int spins, int yields, long minParkNanos, long maxParkNanos, long timeoutNanos) {
        this.spins = spins;
        this.yields = yields;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
        this.timeoutNanos = timeoutNanos;
    }

    /** The Disruptor wait strategy for {@code choice}, timing out after {@code timeoutNanos} without events. */
    static WaitStrategy of(EventLog.WaitStrategy choice, Settings<?> settings, long timeoutNanos) {
        long min = settings.minIdleParkNanos;
        long max = settings.maxIdleParkNanos;
        return switch (choice) {
            case SLEEP -> new IdleWaitStrategy(SPINS, YIELDS, min, max, timeoutNanos);
            case BLOCK -> new LiteTimeoutBlockingWaitStrategy(timeoutNanos, TimeUnit.NANOSECONDS);
            case YIELD -> new IdleWaitStrategy(SPINS, FOREVER, min, max, timeoutNanos);
            case SPIN -> new IdleWaitStrategy(FOREVER, FOREVER, min, max, timeoutNanos);
        };
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException, TimeoutException {
        long deadline = System.nanoTime() + timeoutNanos;
        long park = minParkNanos;
        // long rounds: with FOREVER spins or yields an int round (and spins + yields) would overflow.
        long parkFrom = (long) spins + yields;
        long available;
        for (long round = 0; (available = dependentSequence.get()) < sequence; round++) {
            barrier.checkAlert();
            if (round < spins) {
                Thread.onSpinWait();
            } else if (round < parkFrom) {
                Thread.yield();
            } else {
                // An interrupt is not how the sink thread is stopped (an alert is, checked above): clear
                // it, or every park would return at once and the idle thread would spin.
                Thread.interrupted();
                LockSupport.parkNanos(this, Math.min(park, Math.max(deadline - System.nanoTime(), 0)));
                park = Math.min(park << 1, maxParkNanos);
            }
            // Reading the clock costs ~25 ns: while spinning or yielding, only every 1024th round.
            if (((round & 1023) == 0 || round >= parkFrom) && System.nanoTime() - deadline >= 0) {
                throw TimeoutException.INSTANCE;
            }
        }
        return available;
    }

    @Override
    public void signalAllWhenBlocking() {
        // Producers never signal: see the class comment.
    }
}
