package dev.ringlog;

import java.util.function.BooleanSupplier;

/** Polls a condition that no latch or future can signal (a counter, a thread's state), with a bound. */
final class Await {

    private static final long BOUND_NANOS = 20_000_000_000L;

    private Await() {
    }

    /** Returns once {@code condition} holds; fails the test if it does not within 20 s. */
    static void until(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + BOUND_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.onSpinWait();
        }
    }
}
