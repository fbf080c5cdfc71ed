/**
 * The file sink of ringlog: {@link dev.ringlog.file.FileSink} archives events as JSON lines in one
 * file per UTC day, optionally gzipped and encrypted with AES-GCM, one frame per batch;
 * {@link dev.ringlog.file.FileLogReader} reads such files back, verifying every frame, as an API and
 * as a command.
 *
 * <p>The public API is {@code FileSink} (with its {@code Builder} and {@code JsonEncoder}) and
 * {@code FileLogReader} (with its {@code Report}, {@code Damage}, {@code Kind} and {@code Format});
 * everything else in this package is package-private. JDK only: no dependency but ringlog-core.
 */
package dev.ringlog.file;
