package dev.ringlog.kafka;

import java.util.List;

/**
 * The records of failed attempts, in the order they were added, and which of them the broker
 * acknowledged: so that when the engine adds the same events again (it re-delivers a batch after a
 * retryable failure, and narrows it down after one that is not), a record already acknowledged is not
 * sent a second time. Used on the sink thread only.
 *
 * <p>It relies on the engine's order: a failed range is added again from its first unresolved event,
 * in the same order, possibly shorter (a retry halves the attempt; narrowing commits the part before
 * the culprit first). So each event added is looked up from where the last lookup stopped: entries
 * passed over belong to events the engine resolved without adding them again (dead-lettered), and an
 * id not found at all means every entry is stale (the engine gave up on them): the memory is cleared.
 * It holds at most one batch: what the engine adds again is what it has not resolved.
 */
final class Redelivery {

    private long[] ids = new long[0];
    private boolean[] acknowledged = new boolean[0];
    private int size;
    /** The first entry not yet matched by an event added again. */
    private int next;
    /**
     * Events added again whose record a failed attempt sent without an acknowledgement: sent again.
     * Written by the sink thread only; read by others.
     */
    private volatile long resent;

    /**
     * Whether the event {@code id}, added again, was acknowledged in a failed attempt (then it must not
     * be sent). Consumes the entries up to it.
     */
    boolean acknowledgedBefore(long id) {
        if (next == size) {
            return false;
        }
        for (int i = next; i < size; i++) {
            if (ids[i] == id) {
                next = i + 1;
                boolean acked = acknowledged[i];
                if (!acked) {
                    resent++; // one writer: the sink thread
                }
                if (next == size) {
                    clear();
                }
                return acked;
            }
        }
        clear(); // a new event: everything remembered was resolved without being added again
        return false;
    }

    /**
     * How many records were sent again after an attempt that ended without their acknowledgement: an
     * upper bound on the duplicates in the topic (a record the broker wrote whose acknowledgement was
     * lost, or came after {@code delivery.timeout.ms}, is written twice; Kafka's idempotence cannot tell
     * the second send from a new record).
     */
    long resent() {
        return resent;
    }

    /**
     * Remembers a failed attempt: its records (each acknowledged or not; in the order added) come
     * before the entries not yet added again, which follow them in the engine's order.
     */
    void remember(List<Delivery> attempt) {
        int rest = size - next;
        int total = attempt.size() + rest;
        long[] newIds = new long[total];
        boolean[] newAcked = new boolean[total];
        for (int i = 0; i < attempt.size(); i++) {
            Delivery d = attempt.get(i);
            newIds[i] = d.id;
            newAcked[i] = d.acknowledged();
        }
        System.arraycopy(ids, next, newIds, attempt.size(), rest);
        System.arraycopy(acknowledged, next, newAcked, attempt.size(), rest);
        ids = newIds;
        acknowledged = newAcked;
        size = total;
        next = 0;
    }

    private void clear() {
        ids = new long[0];
        acknowledged = new boolean[0];
        size = 0;
        next = 0;
    }
}
