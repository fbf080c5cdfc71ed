package dev.ringlog.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.nio.file.Path;
import java.security.Principal;
import java.util.List;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.authenticator.BasicAuthenticator;
import org.apache.catalina.realm.GenericPrincipal;
import org.apache.catalina.realm.RealmBase;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.apache.tomcat.util.descriptor.web.LoginConfig;
import org.apache.tomcat.util.descriptor.web.SecurityCollection;
import org.apache.tomcat.util.descriptor.web.SecurityConstraint;

/**
 * A real embedded Tomcat on a free port with one filter in front of the test's servlets, and BASIC
 * authentication (user {@code alice}, password {@code secret}) on {@code /secure/*}.
 */
final class TestServer implements AutoCloseable {

    static final String USER = "alice";
    static final String PASSWORD = "secret";

    private final Tomcat tomcat = new Tomcat();
    private final Context context;

    /** A server whose requests go through {@code filters}, the first outermost. */
    TestServer(Path baseDir, Filter... filters) {
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setPort(0);
        context = tomcat.addContext("", baseDir.toString());
        for (int i = 0; i < filters.length; i++) {
            FilterDef def = new FilterDef();
            def.setFilterName("filter" + i);
            def.setFilter(filters[i]);
            def.setAsyncSupported("true");
            context.addFilterDef(def);
            FilterMap map = new FilterMap();
            map.setFilterName("filter" + i);
            map.addURLPattern("/*");
            context.addFilterMap(map);
        }
        secure();
    }

    private void secure() {
        context.setRealm(new RealmBase() {
            @Override
            protected String getPassword(String username) {
                return USER.equals(username) ? PASSWORD : null;
            }

            @Override
            protected Principal getPrincipal(String username) {
                return new GenericPrincipal(username, List.of("user"));
            }
        });
        LoginConfig login = new LoginConfig();
        login.setAuthMethod("BASIC");
        login.setRealmName("test");
        context.setLoginConfig(login);
        context.addSecurityRole("user");
        SecurityCollection paths = new SecurityCollection();
        paths.addPattern("/secure/*");
        SecurityConstraint constraint = new SecurityConstraint();
        constraint.addAuthRole("user");
        constraint.addCollection(paths);
        context.addConstraint(constraint);
        context.getPipeline().addValve(new BasicAuthenticator());
    }

    TestServer servlet(String pattern, HttpServlet servlet) {
        String name = "servlet" + pattern;
        Tomcat.addServlet(context, name, servlet).setAsyncSupported(true);
        context.addServletMappingDecoded(pattern, name);
        return this;
    }

    TestServer start() throws LifecycleException {
        tomcat.getConnector(); // creates the default HTTP/1.1 connector
        tomcat.start();
        return this;
    }

    int port() {
        return tomcat.getConnector().getLocalPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    @Override
    public void close() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
    }
}
