package dev.ringlog.bench;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletConnection;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.security.Principal;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A GET request with a body-less, synchronous, unauthenticated shape, for invoking a filter's
 * {@code doFilter} directly in {@code RequestLogFilterBenchmark}: what a request-log filter reads
 * (method, URI, context path, remote address, headers, attributes, dispatcher type, async and user
 * state) answers as a container's parsed request would, from fields and small maps; everything else
 * throws, so a benchmark that reached it would fail rather than measure a stub.
 */
final class BenchHttpRequest implements HttpServletRequest {

    private final String method;
    private final String uri;
    private final Map<String, String> headers = new HashMap<>();
    private final Map<String, Object> attributes = new HashMap<>();

    BenchHttpRequest(String method, String uri) {
        this.method = method;
        this.uri = uri;
    }

    BenchHttpRequest header(String name, String value) {
        headers.put(name.toLowerCase(Locale.ROOT), value);
        return this;
    }

    private static UnsupportedOperationException unsupported(String method) {
        return new UnsupportedOperationException(method + " is not part of the benchmark's request");
    }

    @Override
    public String getAuthType() {
        throw unsupported("getAuthType");
    }

    @Override
    public Cookie[] getCookies() {
        throw unsupported("getCookies");
    }

    @Override
    public long getDateHeader(String a) {
        throw unsupported("getDateHeader");
    }

    @Override
    public String getHeader(String a) {
        return headers.get(a.toLowerCase(Locale.ROOT));
    }

    @Override
    public Enumeration<String> getHeaders(String a) {
        throw unsupported("getHeaders");
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        throw unsupported("getHeaderNames");
    }

    @Override
    public int getIntHeader(String a) {
        throw unsupported("getIntHeader");
    }

    @Override
    public String getMethod() {
        return method;
    }

    @Override
    public String getPathInfo() {
        throw unsupported("getPathInfo");
    }

    @Override
    public String getPathTranslated() {
        throw unsupported("getPathTranslated");
    }

    @Override
    public String getContextPath() {
        return "";
    }

    @Override
    public String getQueryString() {
        return null;
    }

    @Override
    public String getRemoteUser() {
        return null;
    }

    @Override
    public boolean isUserInRole(String a) {
        throw unsupported("isUserInRole");
    }

    @Override
    public Principal getUserPrincipal() {
        return null;
    }

    @Override
    public String getRequestedSessionId() {
        throw unsupported("getRequestedSessionId");
    }

    @Override
    public String getRequestURI() {
        return uri;
    }

    @Override
    public StringBuffer getRequestURL() {
        throw unsupported("getRequestURL");
    }

    @Override
    public String getServletPath() {
        throw unsupported("getServletPath");
    }

    @Override
    public HttpSession getSession(boolean a) {
        throw unsupported("getSession");
    }

    @Override
    public HttpSession getSession() {
        throw unsupported("getSession");
    }

    @Override
    public String changeSessionId() {
        throw unsupported("changeSessionId");
    }

    @Override
    public boolean isRequestedSessionIdValid() {
        throw unsupported("isRequestedSessionIdValid");
    }

    @Override
    public boolean isRequestedSessionIdFromCookie() {
        throw unsupported("isRequestedSessionIdFromCookie");
    }

    @Override
    public boolean isRequestedSessionIdFromURL() {
        throw unsupported("isRequestedSessionIdFromURL");
    }

    @Override
    public boolean authenticate(HttpServletResponse a) throws IOException, ServletException {
        throw unsupported("authenticate");
    }

    @Override
    public void login(String a, String b) throws ServletException {
        throw unsupported("login");
    }

    @Override
    public void logout() throws ServletException {
        throw unsupported("logout");
    }

    @Override
    public Collection<Part> getParts() throws IOException, ServletException {
        throw unsupported("getParts");
    }

    @Override
    public Part getPart(String a) throws IOException, ServletException {
        throw unsupported("getPart");
    }

    @Override
    public <T extends HttpUpgradeHandler> T upgrade(Class<T> a) throws IOException, ServletException {
        throw unsupported("upgrade");
    }

    @Override
    public Object getAttribute(String a) {
        return attributes.get(a);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        throw unsupported("getAttributeNames");
    }

    @Override
    public String getCharacterEncoding() {
        return null;
    }

    @Override
    public void setCharacterEncoding(String a) throws UnsupportedEncodingException {
        throw unsupported("setCharacterEncoding");
    }

    @Override
    public int getContentLength() {
        throw unsupported("getContentLength");
    }

    @Override
    public long getContentLengthLong() {
        throw unsupported("getContentLengthLong");
    }

    @Override
    public String getContentType() {
        return null;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        throw unsupported("getInputStream");
    }

    @Override
    public String getParameter(String a) {
        throw unsupported("getParameter");
    }

    @Override
    public Enumeration<String> getParameterNames() {
        throw unsupported("getParameterNames");
    }

    @Override
    public String[] getParameterValues(String a) {
        throw unsupported("getParameterValues");
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        throw unsupported("getParameterMap");
    }

    @Override
    public String getProtocol() {
        throw unsupported("getProtocol");
    }

    @Override
    public String getScheme() {
        throw unsupported("getScheme");
    }

    @Override
    public String getServerName() {
        throw unsupported("getServerName");
    }

    @Override
    public int getServerPort() {
        throw unsupported("getServerPort");
    }

    @Override
    public BufferedReader getReader() throws IOException {
        throw unsupported("getReader");
    }

    @Override
    public String getRemoteAddr() {
        return "127.0.0.1";
    }

    @Override
    public String getRemoteHost() {
        throw unsupported("getRemoteHost");
    }

    @Override
    public void setAttribute(String a, Object b) {
        attributes.put(a, b);
    }

    @Override
    public void removeAttribute(String a) {
        attributes.remove(a);
    }

    @Override
    public Locale getLocale() {
        throw unsupported("getLocale");
    }

    @Override
    public Enumeration<Locale> getLocales() {
        throw unsupported("getLocales");
    }

    @Override
    public boolean isSecure() {
        throw unsupported("isSecure");
    }

    @Override
    public RequestDispatcher getRequestDispatcher(String a) {
        throw unsupported("getRequestDispatcher");
    }

    @Override
    public int getRemotePort() {
        throw unsupported("getRemotePort");
    }

    @Override
    public String getLocalName() {
        throw unsupported("getLocalName");
    }

    @Override
    public String getLocalAddr() {
        throw unsupported("getLocalAddr");
    }

    @Override
    public int getLocalPort() {
        throw unsupported("getLocalPort");
    }

    @Override
    public ServletContext getServletContext() {
        throw unsupported("getServletContext");
    }

    @Override
    public AsyncContext startAsync() {
        throw unsupported("startAsync");
    }

    @Override
    public AsyncContext startAsync(ServletRequest a, ServletResponse b) {
        throw unsupported("startAsync");
    }

    @Override
    public boolean isAsyncStarted() {
        return false;
    }

    @Override
    public boolean isAsyncSupported() {
        throw unsupported("isAsyncSupported");
    }

    @Override
    public AsyncContext getAsyncContext() {
        throw unsupported("getAsyncContext");
    }

    @Override
    public DispatcherType getDispatcherType() {
        return DispatcherType.REQUEST;
    }

    @Override
    public String getRequestId() {
        throw unsupported("getRequestId");
    }

    @Override
    public String getProtocolRequestId() {
        throw unsupported("getProtocolRequestId");
    }

    @Override
    public ServletConnection getServletConnection() {
        throw unsupported("getServletConnection");
    }
}
