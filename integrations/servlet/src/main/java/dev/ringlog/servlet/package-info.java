/**
 * Request logging for Jakarta Servlet 6 containers: {@link dev.ringlog.servlet.RequestLogFilter}, built by
 * {@link dev.ringlog.servlet.RequestLogFilter#builder}, is the whole API; every other class here is
 * package-private. Threads: the filter runs on the container's request threads; bodies are teed on the
 * threads that read and write them; a body's deadline is handled on the filter's one timer thread
 * ({@code ringlog-request-log-timer}, started only when body content types are configured).
 */
package dev.ringlog.servlet;
