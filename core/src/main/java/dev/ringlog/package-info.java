/**
 * ringlog's engine: {@link dev.ringlog.EventLog} takes events off the publishing thread through an
 * LMAX Disruptor ring and writes them to a {@link dev.ringlog.Sink} in batches on one sink thread.
 *
 * <p>Public API: {@code EventLog} and its {@code Builder}, {@code Stats} and {@code SinkStats},
 * {@code SinkOptions}, {@code SinkView}, {@code Sink},
 * {@code LogEvent}, the {@code EventWriter} interfaces, {@code OverflowPolicy}, {@code RetryPolicy},
 * {@code DeadLetterHandler} and {@code Ticker}. Every other class here is package-private.
 *
 * <h2>Threads</h2>
 * Producers are any threads calling {@code publish}. A sink thread (one per sink, named
 * {@code ringlog-<name>-sink}, or {@code ringlog-<name>-sink-<sink>} when the log has several) is the
 * only caller of its sink, its filter, its sampling key and its dead-letter handler. In sync mode (one
 * sink) the publishing thread holding the log's lock plays the sink thread's part.
 *
 * <h2>Memory ordering</h2>
 * The words used in comments on the hot path:
 * <ul>
 *   <li><em>release store</em> ({@code lazySet}, {@code setRelease}, the Disruptor's
 *       {@code Sequence.set} and {@code RingBuffer.publish}): writes before it are visible to a
 *       thread that reads the stored value with an acquire load. No StoreLoad fence: cheap.</li>
 *   <li><em>acquire load</em> ({@code getAcquire}, the Disruptor's sequence barrier): sees
 *       everything written before the matching release store.</li>
 *   <li><em>volatile</em> and CAS: sequentially consistent; used where two threads each write one
 *       variable and read the other (the closed flag against the ring's cursor), which release and
 *       acquire alone do not order.</li>
 * </ul>
 * A producer fills its slot and the slot's tag (see {@code SlotRelease}) before {@code publish}, a
 * release store; each sink thread reads them after the barrier, an acquire load. A sink thread writes
 * its verdicts on the slots, then advances its own sequence, a release store; the release reads every
 * sink's sequence (acquire), then the verdicts, clears the slots and advances the one sequence that
 * gates the producers, a release store; a producer reads that sequence (acquire) before it reuses a
 * slot.
 */
package dev.ringlog;
