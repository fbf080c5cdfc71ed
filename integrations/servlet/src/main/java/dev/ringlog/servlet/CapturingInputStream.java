package dev.ringlog.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;

/** The request's input stream, teed into a {@link BodyCapture} as the application reads it. */
final class CapturingInputStream extends ServletInputStream {

    private final ServletInputStream in;
    private final BodyCapture capture;

    CapturingInputStream(ServletInputStream in, BodyCapture capture) {
        this.in = in;
        this.capture = capture;
    }

    @Override
    public int read() throws IOException {
        int b;
        capture.reading(true);
        try {
            b = in.read();
        } finally {
            capture.reading(false);
        }
        if (b < 0) {
            capture.end();
        } else {
            capture.append(b);
            endIfFinished();
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        capture.reading(true);
        try {
            n = in.read(b, off, len);
        } finally {
            capture.reading(false);
        }
        if (n < 0) {
            capture.end();
        } else {
            capture.append(b, off, n);
            endIfFinished();
        }
        return n;
    }

    /** A reader that stops at the Content-Length never sees -1: the container says when the body is all read. */
    private void endIfFinished() {
        if (in.isFinished()) {
            capture.end();
        }
    }

    @Override
    public boolean isFinished() {
        return in.isFinished();
    }

    @Override
    public boolean isReady() {
        return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
        in.setReadListener(listener); // the listener reads through this stream: non-blocking reads are captured too
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
