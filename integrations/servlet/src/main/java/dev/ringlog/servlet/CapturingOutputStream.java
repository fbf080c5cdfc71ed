package dev.ringlog.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;

/**
 * The response's output stream, teed into a {@link BodyCapture} as the application writes it. Whether
 * the body is captured is decided at the first write, when the content type is set.
 */
final class CapturingOutputStream extends ServletOutputStream {

    private final ServletOutputStream out;
    private final Exchange exchange;
    private BodyCapture capture;
    private boolean decided;

    CapturingOutputStream(ServletOutputStream out, Exchange exchange) {
        this.out = out;
        this.exchange = exchange;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        BodyCapture c = capture();
        if (c != null) {
            c.append(b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        BodyCapture c = capture();
        if (c != null) {
            c.append(b, off, len);
        }
    }

    private BodyCapture capture() {
        if (!decided) {
            decided = true;
            capture = exchange.startResponseBody(false);
        }
        return capture;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    @Override
    public boolean isReady() {
        return out.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
        out.setWriteListener(listener); // the listener writes through this stream: non-blocking writes are captured too
    }
}
