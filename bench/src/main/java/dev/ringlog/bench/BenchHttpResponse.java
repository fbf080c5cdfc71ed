package dev.ringlog.bench;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The response of {@link BenchHttpRequest}: a status and headers in fields and a small map, never
 * committed; everything else throws, so a benchmark that reached it would fail rather than measure a stub.
 */
final class BenchHttpResponse implements HttpServletResponse {

    private int status = 200;
    private final Map<String, String> headers = new HashMap<>();

    private static UnsupportedOperationException unsupported(String method) {
        return new UnsupportedOperationException(method + " is not part of the benchmark's response");
    }

    @Override
    public void addCookie(Cookie a) {
        throw unsupported("addCookie");
    }

    @Override
    public boolean containsHeader(String a) {
        return headers.containsKey(a.toLowerCase(Locale.ROOT));
    }

    @Override
    public String encodeURL(String a) {
        throw unsupported("encodeURL");
    }

    @Override
    public String encodeRedirectURL(String a) {
        throw unsupported("encodeRedirectURL");
    }

    @Override
    public void sendError(int a, String b) throws IOException {
        throw unsupported("sendError");
    }

    @Override
    public void sendError(int a) throws IOException {
        throw unsupported("sendError");
    }

    @Override
    public void sendRedirect(String a) throws IOException {
        throw unsupported("sendRedirect");
    }

    @Override
    public void setDateHeader(String a, long b) {
        throw unsupported("setDateHeader");
    }

    @Override
    public void addDateHeader(String a, long b) {
        throw unsupported("addDateHeader");
    }

    @Override
    public void setHeader(String a, String b) {
        headers.put(a.toLowerCase(Locale.ROOT), b);
    }

    @Override
    public void addHeader(String a, String b) {
        headers.putIfAbsent(a.toLowerCase(Locale.ROOT), b);
    }

    @Override
    public void setIntHeader(String a, int b) {
        throw unsupported("setIntHeader");
    }

    @Override
    public void addIntHeader(String a, int b) {
        throw unsupported("addIntHeader");
    }

    @Override
    public void setStatus(int a) {
        status = a;
    }

    @Override
    public int getStatus() {
        return status;
    }

    @Override
    public String getHeader(String a) {
        return headers.get(a.toLowerCase(Locale.ROOT));
    }

    @Override
    public Collection<String> getHeaders(String a) {
        throw unsupported("getHeaders");
    }

    @Override
    public Collection<String> getHeaderNames() {
        throw unsupported("getHeaderNames");
    }

    @Override
    public String getCharacterEncoding() {
        return "UTF-8";
    }

    @Override
    public String getContentType() {
        return null;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        throw unsupported("getOutputStream");
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        throw unsupported("getWriter");
    }

    @Override
    public void setCharacterEncoding(String a) {
        throw unsupported("setCharacterEncoding");
    }

    @Override
    public void setContentLength(int a) {
        throw unsupported("setContentLength");
    }

    @Override
    public void setContentLengthLong(long a) {
        throw unsupported("setContentLengthLong");
    }

    @Override
    public void setContentType(String a) {
        throw unsupported("setContentType");
    }

    @Override
    public void setBufferSize(int a) {
        throw unsupported("setBufferSize");
    }

    @Override
    public int getBufferSize() {
        throw unsupported("getBufferSize");
    }

    @Override
    public void flushBuffer() throws IOException {
        throw unsupported("flushBuffer");
    }

    @Override
    public void resetBuffer() {
        throw unsupported("resetBuffer");
    }

    @Override
    public boolean isCommitted() {
        return false;
    }

    @Override
    public void reset() {
        throw unsupported("reset");
    }

    @Override
    public void setLocale(Locale a) {
        throw unsupported("setLocale");
    }

    @Override
    public Locale getLocale() {
        throw unsupported("getLocale");
    }
}
