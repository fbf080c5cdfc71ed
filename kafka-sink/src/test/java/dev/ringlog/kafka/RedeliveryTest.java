package dev.ringlog.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the sink remembers of failed attempts, in the orders the engine adds events again. */
class RedeliveryTest {

    private static Delivery acked(long id) {
        return Delivery.acknowledgedBefore(id);
    }

    private static Delivery failed(long id) {
        Delivery d = Delivery.sending(id);
        d.onCompletion(null, new RuntimeException("failed"));
        return d;
    }

    @Test
    void aRetryOfHalfTheBatchSkipsItsAcknowledgedRecordsAndKeepsTheRestForTheNextAttempt() {
        Redelivery r = new Redelivery();
        r.remember(List.of(acked(1), failed(2), acked(3), acked(4)));
        assertTrue(r.acknowledgedBefore(1));
        assertFalse(r.acknowledgedBefore(2));
        // the half [1, 2] succeeded; the next attempt adds 3 and 4
        assertTrue(r.acknowledgedBefore(3));
        assertTrue(r.acknowledgedBefore(4));
        assertFalse(r.acknowledgedBefore(5), "a new event");
    }

    @Test
    void anAttemptThatFailsAgainKeepsWhatTheEarlierOneAcknowledged() {
        Redelivery r = new Redelivery();
        r.remember(List.of(acked(1), failed(2), failed(3), acked(4)));
        // the retry [1, 2] fails again; 1 was skipped (acknowledged before), 2 failed again
        assertTrue(r.acknowledgedBefore(1));
        assertFalse(r.acknowledgedBefore(2));
        r.remember(List.of(acked(1), failed(2)));
        assertTrue(r.acknowledgedBefore(1));
        assertFalse(r.acknowledgedBefore(2));
        assertFalse(r.acknowledgedBefore(3));
        assertTrue(r.acknowledgedBefore(4), "remembered from the first attempt");
    }

    @Test
    void eventsTheEngineResolvedWithoutAddingThemAgainArePassedOverOrForgotten() {
        Redelivery r = new Redelivery();
        r.remember(List.of(failed(1), acked(2), acked(3)));
        // 1 dead-lettered without being added again: 2 is found after it
        assertTrue(r.acknowledgedBefore(2));
        // the engine gave up on 3 (retries exhausted): a new event clears what is left
        assertFalse(r.acknowledgedBefore(10));
        assertFalse(r.acknowledgedBefore(3), "forgotten");
    }
}
