package dev.ringlog.bench;

import com.lmax.disruptor.EventTranslatorThreeArg;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What each step of ringlog's publish path costs over a raw {@code tryPublishEvent}, producer side
 * only: a Disruptor MULTI ring with no consumer and no gating sequence (so it never fills), and the
 * steps of {@code EventLog.publish} added one at a time on a copy of the slot ({@link Slot}): the two
 * reads of the closed flag around the claim, the id stamp, the wake-up mask test, and the clock read
 * of {@code LogEvent.set} ({@code Instant.now()}) against a cached clock. Also one idea for going
 * below the raw Disruptor: claiming 8 sequences per CAS ({@code tryNext(8)}) per thread. Not part of
 * {@code bench/run}: {@code java -jar benchmarks.jar PublishPathBenchmark -t 1} (and {@code -t 2}).
 *
 * <p>Without a consumer, nothing here measures the cache traffic between producers and the sink
 * thread, which is most of a real publish on 2 cores: these are instruction costs, for deciding what
 * is worth changing in core.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class PublishPathBenchmark {

    static final int RING_SIZE = 65_536;

    /** A slot shaped like {@code LogEvent}. */
    static final class Slot {
        long id;
        long timestamp;
        String type;
        String actor;
        String payload;

        void set(String type, String actor, String payload, long micros) {
            this.timestamp = micros;
            this.type = type;
            this.actor = actor;
            this.payload = payload;
        }
    }

    @State(Scope.Benchmark)
    public static class Ring {
        final RingBuffer<Slot> ring = RingBuffer.createMultiProducer(Slot::new, RING_SIZE, new SleepingWaitStrategy());
        volatile boolean closed;
        /** A clock a background thread would refresh: read as a volatile, as a cached clock would be. */
        volatile long cachedMicros = BenchEvents.nowMicros();
        final long idBase = 42L << 32;
        final long wakeMask = RING_SIZE / 8 - 1;
        volatile int unparks; // stands for processor.unpark(): taken once per eighth of a ring
        String type = BenchEvents.TYPE;
        String actor = BenchEvents.ACTOR;
        String payload = BenchEvents.PAYLOAD;
    }

    /** Per-thread claim batching: sequences claimed 8 at a time, published one by one. */
    @State(Scope.Thread)
    public static class Claims {
        long next;
        long end; // exclusive
    }

    static final EventTranslatorThreeArg<Slot, String, String, String> SET =
            (slot, sequence, type, actor, payload) -> slot.set(type, actor, payload, micros());

    static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /** The clock read alone ({@code LogEvent.set}'s {@code Instant.now()}). */
    @Benchmark
    public long clockInstantNow() {
        return micros();
    }

    /** The raw Disruptor: {@code tryPublishEvent} with a translator that reads the clock. */
    @Benchmark
    public boolean raw(Ring r) {
        return r.ring.tryPublishEvent(SET, r.type, r.actor, r.payload);
    }

    /** ringlog's path: closed read, claim, closed read, id stamp, set (clock), publish, wake-up mask. */
    @Benchmark
    public boolean ringlogPath(Ring r) {
        if (r.closed) {
            return false;
        }
        long sequence;
        try {
            sequence = r.ring.tryNext();
        } catch (InsufficientCapacityException full) {
            return false;
        }
        if (r.closed) {
            r.ring.publish(sequence);
            return false;
        }
        Slot slot = r.ring.get(sequence);
        slot.id = r.idBase + sequence;
        slot.set(r.type, r.actor, r.payload, micros());
        r.ring.publish(sequence);
        if ((sequence & r.wakeMask) == 0) {
            r.unparks++;
        }
        return true;
    }

    /** ringlog's path with a cached clock (a volatile read) instead of {@code Instant.now()}. */
    @Benchmark
    public boolean ringlogPathCachedClock(Ring r) {
        if (r.closed) {
            return false;
        }
        long sequence;
        try {
            sequence = r.ring.tryNext();
        } catch (InsufficientCapacityException full) {
            return false;
        }
        if (r.closed) {
            r.ring.publish(sequence);
            return false;
        }
        Slot slot = r.ring.get(sequence);
        slot.id = r.idBase + sequence;
        slot.set(r.type, r.actor, r.payload, r.cachedMicros);
        r.ring.publish(sequence);
        if ((sequence & r.wakeMask) == 0) {
            r.unparks++;
        }
        return true;
    }

    /** ringlog's path claiming 8 sequences per CAS per thread (the clock still read per event). */
    @Benchmark
    public boolean ringlogPathClaim8(Ring r, Claims c) {
        if (r.closed) {
            return false;
        }
        if (c.next == c.end) {
            try {
                c.end = r.ring.tryNext(8) + 1;
            } catch (InsufficientCapacityException full) {
                return false;
            }
            c.next = c.end - 8;
        }
        long sequence = c.next++;
        if (r.closed) {
            r.ring.publish(sequence);
            return false;
        }
        Slot slot = r.ring.get(sequence);
        slot.id = r.idBase + sequence;
        slot.set(r.type, r.actor, r.payload, micros());
        r.ring.publish(sequence);
        if ((sequence & r.wakeMask) == 0) {
            r.unparks++;
        }
        return true;
    }
}
