package dev.ringlog.jdbc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When an attempt of the standard table goes idempotent: the rules of {@link Redelivery}, without a database. */
class RedeliveryTest {

    private static void attempt(Redelivery r, long... ids) {
        for (long id : ids) {
            r.add(id);
        }
    }

    @Test
    void aFirstAttemptIsPlain() {
        Redelivery r = new Redelivery();
        attempt(r, 1, 2, 3);
        assertFalse(r.idempotent());
    }

    @Test
    void theAttemptAfterAFailureIsIdempotentUntilAPlainOneCommits() {
        Redelivery r = new Redelivery();
        attempt(r, 1, 2, 3);
        r.failed();
        assertTrue(r.lastFailureWasPlain());
        attempt(r, 1, 2, 3, 4); // the same events again, and one more the ring had meanwhile
        assertTrue(r.idempotent());
        r.failed(); // fails again: still a re-delivery next time, and this failure was not plain
        assertFalse(r.lastFailureWasPlain());
        attempt(r, 1, 2);
        assertTrue(r.idempotent(), "narrowed down to a part of the failed batch");
        r.committed();
        attempt(r, 3, 4);
        assertTrue(r.idempotent(), "the rest of the failed batch");
        r.committed();
        attempt(r, 5, 6);
        assertFalse(r.idempotent(), "new events");
        r.committed();
        attempt(r, 3);
        assertFalse(r.idempotent(), "forgotten once a plain attempt committed");
    }

    @Test
    void aFailureBeforeAnyEventChangesNothing() {
        Redelivery r = new Redelivery();
        r.failed();
        assertFalse(r.lastFailureWasPlain());
        attempt(r, 7);
        assertFalse(r.idempotent());
    }

    @Test
    void largeBatchesAndIdsAnywhereInTheLongRange() {
        Redelivery r = new Redelivery();
        for (long i = 0; i < 5_000; i++) {
            r.add(Long.MAX_VALUE - 2_500 + i); // wraps past Long.MAX_VALUE, as a random id base may
        }
        r.failed();
        attempt(r, Long.MIN_VALUE + 100);
        assertTrue(r.idempotent());
        r.failed();
        attempt(r, Long.MAX_VALUE - 2_500);
        assertTrue(r.idempotent());
    }
}
