/**
 * The Kafka sink of ringlog: {@link dev.ringlog.kafka.KafkaSink} sends each event to a topic as one
 * record keyed by the event's id, and commits a batch once the broker has acknowledged all of it.
 *
 * <p>The public API is {@code KafkaSink} and its {@code Builder}; everything else in this package is
 * package-private. {@code kafka-clients} (4.x) is a provided dependency: bring your own.
 */
package dev.ringlog.kafka;
