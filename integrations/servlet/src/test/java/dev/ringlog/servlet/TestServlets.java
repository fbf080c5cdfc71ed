package dev.ringlog.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** The applications behind the filter in the tests: each does one thing a real one does. */
@SuppressWarnings("serial")
final class TestServlets {

    private TestServlets() {
    }

    /** {@code GET}: "hello" as text/plain, with a trace header and a session cookie. */
    static HttpServlet hello() {
        return new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain");
                resp.setHeader("X-Trace", "trace-1");
                resp.setHeader("Set-Cookie", "session=SERVER-SECRET");
                resp.getWriter().write("hello");
            }
        };
    }

    /** {@code POST}: the body back, read and written as bytes, with the request's content type. */
    static HttpServlet echoBytes() {
        return new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                byte[] body = req.getInputStream().readAllBytes();
                resp.setContentType(req.getContentType());
                resp.getOutputStream().write(body);
            }
        };
    }

    /** {@code POST}: the body back, read with the reader and written with the writer. */
    static HttpServlet echoChars() {
        return new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                String body = req.getReader().lines().collect(Collectors.joining("\n"));
                resp.setContentType(req.getContentType());
                resp.getWriter().print(body);
            }
        };
    }

    /** {@code GET}: the status of the {@code status} parameter (200 without one). */
    static HttpServlet status() {
        return new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                String status = req.getParameter("status");
                resp.setStatus(status == null ? 200 : Integer.parseInt(status));
                resp.setContentType("text/plain");
                resp.getWriter().write("ok");
            }
        };
    }

    /** {@code GET}: throws, so the container answers 500. */
    static HttpServlet boom() {
        return new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                throw new IllegalStateException("boom");
            }
        };
    }

    /** {@code GET}: sets the route attribute as Spring MVC does, then answers 204. */
    static HttpServlet route(String attribute, String template) {
        return new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                req.setAttribute(attribute, template);
                resp.setStatus(204);
            }
        };
    }

    /** {@code GET}: the authenticated user's name. */
    static HttpServlet whoAmI() {
        return new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setHeader("Set-Cookie", "session=SERVER-SECRET");
                resp.getWriter().write(req.getRemoteUser());
            }
        };
    }

    /** {@code POST}: reads the whole body, then answers 201; a body that never ends keeps it reading. */
    static HttpServlet upload() {
        return new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                req.getInputStream().readAllBytes();
                resp.setStatus(201);
            }
        };
    }

    /**
     * {@code POST}: reads the first 5 bytes of the body only (as a parser that stops early does), then
     * waits for {@code release} (at most 30 s) and answers 201.
     */
    static HttpServlet readFiveBytes(CountDownLatch release) {
        return new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                req.getInputStream().readNBytes(5);
                try {
                    if (!release.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test did not release the request");
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                resp.setStatus(201);
            }
        };
    }

    /**
     * {@code GET}, async: on another thread, writes {@code data: 1} through the async context, flushes,
     * waits for {@code release} (at most 30 s), writes {@code data: 2} and completes.
     */
    static HttpServlet stream(CountDownLatch release) {
        return new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                resp.setContentType("text/event-stream");
                AsyncContext async = req.startAsync();
                async.setTimeout(60_000);
                async.start(() -> {
                    try {
                        ServletOutputStream out = async.getResponse().getOutputStream();
                        out.write("data: 1\n\n".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        if (!release.await(30, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the test did not release the stream");
                        }
                        out.write("data: 2\n\n".getBytes(StandardCharsets.UTF_8));
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    } finally {
                        async.complete();
                    }
                });
            }
        };
    }

    /** {@code GET}, async: answers a JSON body from another thread through the async context. */
    static HttpServlet async() {
        return new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                AsyncContext async = req.startAsync();
                async.start(() -> {
                    try {
                        async.getResponse().setContentType("application/json");
                        async.getResponse().getWriter().write("{\"async\":true}");
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    } finally {
                        async.complete();
                    }
                });
            }
        };
    }
}
