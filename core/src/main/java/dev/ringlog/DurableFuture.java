package dev.ringlog;

import java.util.concurrent.CompletableFuture;

/**
 * The future {@code publishDurable} returns, stamped with when it was published, so that the sink
 * thread can record how long the acknowledgement took ({@link EventLog#durableAckNanos()}). The same
 * one allocation as a plain {@code CompletableFuture}; its dependent stages are plain ones.
 */
final class DurableFuture extends CompletableFuture<Void> {

    final long publishedAt = System.nanoTime();

    /**
     * The failure of a sink that dead-lettered the event, or {@code null}: with several sinks the future
     * completes only once every sink has resolved the event (see {@link SlotRelease}), with this failure
     * if any of them failed it. Written by sink threads before they advance their sequences (release
     * stores), read by the release after it has read those sequences (acquire loads).
     */
    volatile Throwable failure;
}
