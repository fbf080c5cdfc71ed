/**
 * The JDBC sink of ringlog: {@link dev.ringlog.jdbc.JdbcSink} writes events to H2 (embedded, the
 * default: {@link dev.ringlog.jdbc.JdbcSink#embeddedH2}), PostgreSQL or MariaDB/MySQL, one transaction
 * per batch, and creates the standard table when it is missing.
 *
 * <p>The public API is {@code JdbcSink} (with its builders and {@code Binder}) and {@code EmbeddedH2};
 * everything else in this package is package-private. JDBC drivers are optional dependencies: bring
 * the one for your database.
 */
package dev.ringlog.jdbc;
