package dev.ringlog.testsupport;

import java.lang.management.ManagementFactory;

/** What a call allocates on the calling thread, by the JVM's per-thread allocation counter (HotSpot's). */
public final class ThreadAllocation {

    private ThreadAllocation() {
    }

    /**
     * Runs {@code call} {@code warmup} times (so the JIT has compiled it and escape analysis applies), then
     * {@code measured} times, and returns the bytes this thread allocated per measured call.
     */
    public static double bytesPerCall(Runnable call, int warmup, int measured) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < warmup; i++) {
            call.run();
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < measured; i++) {
            call.run();
        }
        return (threads.getThreadAllocatedBytes(thread) - before) / (double) measured;
    }
}
