/**
 * {@link dev.ringlog.log4j2.RinglogAppender}: the {@code <Ringlog>} Log4j2 plugin appender that writes
 * logging events to a database table through a ringlog {@code EventLog} and {@code JdbcSink}, kept
 * across reconfigurations by its manager. The README's "Logging frameworks" section gives the settings
 * and the table.
 */
package dev.ringlog.log4j2;
