package dev.ringlog;

import java.util.concurrent.CompletableFuture;

/**
 * The future {@code publishDurable} returns, stamped with when it was published, so that the sink
 * thread can record how long the acknowledgement took ({@link EventLog#durableAckNanos()}). The same
 * one allocation as a plain {@code CompletableFuture}; its dependent stages are plain ones.
 */
final class DurableFuture extends CompletableFuture<Void> {

    final long publishedAt = System.nanoTime();
}
