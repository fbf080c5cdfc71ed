package dev.ringlog.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;

/** The response as the application sees it when bodies are captured: its body is teed as it is written. */
final class CapturingResponse extends HttpServletResponseWrapper {

    private final Exchange exchange;
    private ServletOutputStream out;
    private PrintWriter writer;

    CapturingResponse(HttpServletResponse response, Exchange exchange) {
        super(response);
        this.exchange = exchange;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (out == null) {
            out = new CapturingOutputStream(super.getOutputStream(), exchange);
        }
        return out;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            writer = new CapturingWriter(super.getWriter(), exchange);
        }
        return writer;
    }

    @Override
    public void resetBuffer() {
        super.resetBuffer();
        exchange.clearResponseBody();
    }

    @Override
    public void reset() {
        super.reset();
        exchange.clearResponseBody();
    }
}
