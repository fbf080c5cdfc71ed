/**
 * Not API: what the Logback and Log4j2 appenders share (the logging table and its DDL per database, the
 * part of a ring slot's row every framework fills, the pool they build from a JDBC URL, the JSON of a
 * context map). It may change in any release.
 */
package dev.ringlog.logging.internal;
