package dev.ringlog.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;

/** The request as the application sees it when bodies are captured: its body is teed as it is read. */
final class CapturingRequest extends HttpServletRequestWrapper {

    private final Exchange exchange;
    private ServletInputStream in;
    private BufferedReader reader;

    CapturingRequest(HttpServletRequest request, Exchange exchange) {
        super(request);
        this.exchange = exchange;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (in == null) {
            ServletInputStream raw = super.getInputStream();
            BodyCapture capture = exchange.startRequestBody(false);
            in = capture == null ? raw : new CapturingInputStream(raw, capture);
        }
        return in;
    }

    @Override
    public BufferedReader getReader() throws IOException {
        if (reader == null) {
            BufferedReader raw = super.getReader();
            BodyCapture capture = exchange.startRequestBody(true);
            reader = capture == null ? raw : new BufferedReader(new CapturingReader(raw, capture));
        }
        return reader;
    }

    /**
     * Starts async processing with these wrappers, so that what the application writes through
     * {@code AsyncContext.getResponse()} on another thread is captured too (the container's
     * {@code startAsync()} would hand out its own, unwrapped objects).
     */
    @Override
    public AsyncContext startAsync() {
        return startAsync(this, exchange.capturingResponse());
    }
}
