/**
 * {@link dev.ringlog.logback.RinglogAppender}: a Logback appender that writes logging events to a
 * database table through a ringlog {@code EventLog} and {@code JdbcSink}. Configured in
 * {@code logback.xml}; the README's "Logging frameworks" section gives the settings and the table.
 */
package dev.ringlog.logback;
