/**
 * Spring Boot auto-configuration for ringlog: an {@code EventLog<LogEvent>} bean on a pool of its own,
 * closed before the DataSource at shutdown, the health contributor {@code ringlog} and the
 * {@code ringlog.*} meters. Configured by the {@code ringlog.*} properties ({@link dev.ringlog.spring.RinglogProperties});
 * the auto-configuration classes are not API.
 */
package dev.ringlog.spring;
