package dev.ringlog;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Decides on a sink thread whether an event of a sampled type is kept: per event type, a rate in
 * [0, 1]; types without a rate are always kept. The decision hashes the event's sequence (mixed with a
 * seed chosen when the log starts), or, with {@code sampleBy}, the {@code hashCode} of the event's key,
 * so it holds no random state: sinks and threads share nothing, and a keyed decision is the same in
 * every sink, log and JVM (a key's events are kept or dropped together). With one rate below another,
 * the events kept at the lower rate are a subset of those kept at the higher one.
 *
 * <p>Called on the sink thread only, where it costs a map lookup and a hash per event; nothing on the
 * publish path (the type is known only once the writer has filled the slot, after the claim, so
 * deciding at publish would save no ring slot).
 */
final class Sampler<E> {

    /** The seed of keyed decisions: fixed, so that they agree across logs, restarts and instances. */
    private static final long KEY_SEED = 0x9E3779B97F4A7C15L;
    private static final double UNIT = 0x1.0p-53;

    private final Map<String, Double> rates;
    private final Function<? super E, String> typeOf;
    private final Function<? super E, ?> key;
    private final long sequenceSeed;

    Sampler(Map<String, Double> rates, Function<? super E, String> typeOf, Function<? super E, ?> key, long sequenceSeed) {
        // A HashMap, not Map.copyOf: a null type (an event without one) is looked up, not an error.
        this.rates = new HashMap<>(rates);
        this.typeOf = typeOf;
        this.key = key;
        this.sequenceSeed = sequenceSeed;
    }

    boolean samplesNothing() {
        return rates.isEmpty();
    }

    /** Whether the event at {@code sequence} is kept. Allocates nothing (the rate's {@code Double} is the map's). */
    boolean keeps(E event, long sequence) {
        Double rate = rates.get(typeOf.apply(event));
        if (rate == null) {
            return true;
        }
        long hash = key == null ? sequence ^ sequenceSeed : Objects.hashCode(key.apply(event)) ^ KEY_SEED;
        return (mix(hash) >>> 11) * UNIT < rate;
    }

    /** SplitMix64's finalizer: consecutive sequences and similar hash codes come out uniformly spread. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
