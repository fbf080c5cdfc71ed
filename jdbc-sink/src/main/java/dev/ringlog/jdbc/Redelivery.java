package dev.ringlog.jdbc;

import java.util.Arrays;

/**
 * Which attempts of the standard table must use the idempotent insert. A plain {@code INSERT} is
 * faster (see {@link WritePath}) and can never duplicate a row ({@code id} is the key: a row already
 * there makes it fail), but after a failure the rows of the failed attempt may already be in the
 * table (a commit that reached the database and lost its answer): the engine adds those events again,
 * and they must then be skipped, not rejected. So every id added in an attempt that fails is
 * remembered, and an attempt whose first event is one of them is a re-delivery: it goes idempotent.
 * The engine re-adds a failed batch from its start (or, narrowing it down, subsets of it), so its
 * first event tells. The ids are forgotten when an attempt that is not a re-delivery commits: the
 * events of every failed batch are resolved by then, since the engine writes in order.
 *
 * <p>If a later event of a plain attempt was nonetheless in the table (a journal replay, another
 * writer), the plain insert fails on the key: {@link JdbcSink#isRetryable} retries that, and the
 * retry, its ids now remembered, is idempotent. Called on the sink thread only.
 */
final class Redelivery {

    /** The ids added in the current attempt, in order. */
    private long[] attempt = new long[1024];
    private int attemptSize;
    /** The ids of failed attempts not yet resolved, sorted, distinct. */
    private long[] failed = new long[0];
    private int failedSize;
    private boolean idempotent;
    private boolean lastFailureWasPlain;

    /** Records an event of the current attempt; its first event decides whether the attempt is a re-delivery. */
    void add(long id) {
        if (attemptSize == 0) {
            idempotent = failedSize > 0 && Arrays.binarySearch(failed, 0, failedSize, id) >= 0;
        }
        if (attemptSize == attempt.length) {
            attempt = Arrays.copyOf(attempt, attemptSize * 2);
        }
        attempt[attemptSize++] = id;
    }

    /** Whether the current attempt must use the idempotent insert; valid from its first {@link #add}. */
    boolean idempotent() {
        return idempotent;
    }

    /** The current attempt failed: its ids may be in the table. */
    void failed() {
        lastFailureWasPlain = attemptSize > 0 && !idempotent;
        if (attemptSize > 0) {
            long[] merged = Arrays.copyOf(failed, failedSize + attemptSize);
            System.arraycopy(attempt, 0, merged, failedSize, attemptSize);
            Arrays.sort(merged);
            int n = 0;
            for (long id : merged) {
                if (n == 0 || merged[n - 1] != id) {
                    merged[n++] = id;
                }
            }
            failed = merged;
            failedSize = n;
        }
        reset();
    }

    /** The current attempt committed. */
    void committed() {
        if (!idempotent && failedSize > 0) {
            failed = new long[0];
            failedSize = 0;
        }
        reset();
    }

    /** Whether the last failed attempt used the plain insert (so a key violation may be a row already there). */
    boolean lastFailureWasPlain() {
        return lastFailureWasPlain;
    }

    private void reset() {
        attemptSize = 0;
        idempotent = false;
        if (attempt.length > 64 * 1024) {
            attempt = new long[1024]; // one huge batch should not pin its ids
        }
    }
}
