package dev.ringlog.testsupport;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntConsumer;

/** Logging threads that start at the same moment, so that they contend for the ring. */
public final class Producers {

    private Producers() {
    }

    /**
     * Starts {@code threads} threads named {@code producer-<n>}, n from 0, each running {@code body} with its n
     * once all of them are started.
     *
     * @return completes when every body has returned, exceptionally if one threw
     */
    public static CompletableFuture<Void> startTogether(int threads, IntConsumer body) {
        CountDownLatch start = new CountDownLatch(threads);
        CompletableFuture<?>[] producers = new CompletableFuture<?>[threads];
        for (int t = 0; t < threads; t++) {
            int producer = t;
            producers[t] = CompletableFuture.runAsync(() -> {
                start.countDown();
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("producer-" + producer + " interrupted before its start", e);
                }
                body.accept(producer);
            }, runnable -> new Thread(runnable, "producer-" + producer).start());
        }
        return CompletableFuture.allOf(producers);
    }
}
