/**
 * Micrometer meters for ringlog: {@link dev.ringlog.micrometer.RinglogMetrics}, a {@code MeterBinder}
 * over one {@code EventLog}. Micrometer is a provided dependency: the application brings its own
 * (1.15 or later).
 */
package dev.ringlog.micrometer;
