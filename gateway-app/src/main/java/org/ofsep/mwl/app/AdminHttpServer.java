package org.ofsep.mwl.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP port: health, Prometheus metrics, read-only JSON views and the worklist board. Bound to
 * localhost by default; bound anywhere else it requires a bearer token, so patient data is never served to the
 * hospital network without one.
 */
public final class AdminHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHttpServer.class);

    /** A response; {@code headers} are extra response headers (Set-Cookie ...). */
    public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
        public Response {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }

        public Response(int status, String contentType, byte[] body) {
            this(status, contentType, body, Map.of());
        }

        public static Response json(int status, String json) {
            return new Response(status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
        }

        /** This response with one more header. */
        public Response with(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Response(status, contentType, body, h);
        }

        public static Response text(int status, String contentType, String text) {
            return new Response(status, contentType, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Timeouts of the JDK's HTTP server, which has none by default: a client dribbling its request (slowloris)
     * would hold a worker for ever. A request must arrive completely (headers and body) within maxReqTime, an
     * answer be taken within maxRspTime; an idle keep-alive connection is closed after idleInterval. These are
     * read once, when the JDK server class is first used, and an operator's -D value wins.
     */
    static final int MAX_REQUEST_SECONDS = 5;
    static final int WORKERS = 16;

    static {
        setIfAbsent("sun.net.httpserver.maxReqTime", String.valueOf(MAX_REQUEST_SECONDS));
        setIfAbsent("sun.net.httpserver.maxRspTime", "30");
        setIfAbsent("sun.net.httpserver.idleInterval", "30");
        setIfAbsent("sun.net.httpserver.maxReqHeaders", "100");
        setIfAbsent("sun.net.httpserver.maxReqHeaderSize", String.valueOf(64 * 1024));
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /** The request path, handed to routes with the query parameters (a parameter can never start with ':'). */
    public static final String PATH = ":path";

    /**
     * One request as the person-facing routes see it (login, review, audit).
     *
     * @param session  the logged-in session the request carries, or null
     * @param machine  the request carries the valid bearer token (a machine: read-only)
     * @param secure   the request came over TLS (cookies get Secure)
     */
    public record Request(String method, String path, Map<String, String> params, Map<String, String> headers,
                          byte[] body, String remoteAddress, boolean secure, Sessions.Session session,
                          boolean machine) {
        /** A request header by its lower-case name, or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** The person routes whose paths go on after them (/api/review/ACC); the others are answered on their own path. */
    static final java.util.Set<String> SUB_PATHS = java.util.Set.of("/api/review");

    /** Names of the session cookie and the CSRF header. */
    public static final String SESSION_COOKIE = "MWLSESSION";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** The largest request body read (login and review JSON are small). */
    static final int MAX_BODY = 64 * 1024;

    private final HttpServer server;
    private final ExecutorService executor;
    private final String token;
    /** Host check and security headers: add it to every context. */
    private final AdminHttpGuard guard = new AdminHttpGuard();
    private final Sessions sessions;
    private final boolean forceSecureCookies;
    private volatile ClientAddress clientAddress = ClientAddress.PEER_ONLY;

    public AdminHttpServer(String bindAddress, int port, String token,
                           Map<String, Function<Map<String, String>, Response>> routes) throws IOException {
        this(bindAddress, port, token, routes, Map.of(), null, false);
    }

    /**
     * @param personRoutes routes that see the whole {@link Request} (POST included): login, review, audit. A
     *                     POST other than /api/login needs a session and its CSRF token; the bearer token never
     *                     allows a change.
     * @param sessions     the logged-in sessions (null: no person routes)
     * @param forceSecureCookies mark cookies Secure even on plain HTTP (TLS ends at a proxy in front)
     */
    public AdminHttpServer(String bindAddress, int port, String token,
                           Map<String, Function<Map<String, String>, Response>> routes,
                           Map<String, Function<Request, Response>> personRoutes, Sessions sessions,
                           boolean forceSecureCookies) throws IOException {
        InetAddress address = InetAddress.getByName(bindAddress);
        this.token = token == null ? "" : token.trim();
        AdminHttpGuard.checkToken(this.token);
        if (!address.isLoopbackAddress() && this.token.isEmpty()) {
            throw new IllegalArgumentException("http.bindAddress " + bindAddress
                    + " is not loopback: set http.token (or GATEWAY_HTTP_TOKEN) to protect the admin port");
        }
        this.server = HttpServer.create(new InetSocketAddress(address, port), 50);
        // enough workers that requests being read (each bounded by maxReqTime) cannot starve /health and the board
        this.executor = Executors.newFixedThreadPool(WORKERS, r -> {
            Thread t = new Thread(r, "admin-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        this.sessions = sessions;
        this.forceSecureCookies = forceSecureCookies;
        for (var route : routes.entrySet()) {
            server.createContext(route.getKey(), exchange -> handle(exchange, route.getValue())).getFilters().add(guard);
        }
        for (var route : personRoutes.entrySet()) {
            server.createContext(route.getKey(), exchange -> handlePerson(exchange, route.getValue())).getFilters()
                    .add(guard);
        }
    }

    /** Host names (besides IP addresses and localhost) this port may be called by: http.allowedHosts. */
    public AdminHttpServer allowHosts(java.util.Collection<String> names) {
        guard.allowHosts(java.util.Set.copyOf(names));
        return this;
    }

    /**
     * http.trustedProxies: the reverse proxies whose X-Forwarded-For names the client of a person-facing request
     * (audit trail, session, logs) instead of the proxy itself ({@link ClientAddress}).
     *
     * @throws IllegalArgumentException a value that is not an IP address
     */
    public AdminHttpServer trustProxies(java.util.Collection<String> proxies) {
        this.clientAddress = ClientAddress.trusting(proxies);
        guard.clientAddress(clientAddress); // its Host-refused WARN names the browser too
        return this;
    }

    public void start() {
        server.start();
        LOG.info("Admin HTTP listening on {}:{}", server.getAddress().getHostString(), port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange, Function<Map<String, String>, Response> route) throws IOException {
        try (exchange) {
            Response response;
            String context = exchange.getHttpContext().getPath();
            if (!"/".equals(context) && !exchange.getRequestURI().getPath().equals(context)) {
                // the JDK matches a context by prefix: /healthz or /metrics/x is not /health or /metrics
                response = Response.text(404, "text/plain", "not found\n");
            } else if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                response = Response.text(405, "text/plain", "read-only: GET only\n");
            } else if (!authorized(exchange) && session(exchange) == null
                    && !isPublicAsset(exchange.getRequestURI().getPath())) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
                response = Response.text(401, "text/plain", "token required\n");
            } else {
                try {
                    Map<String, String> params = query(exchange.getRequestURI().getRawQuery());
                    params.put(PATH, exchange.getRequestURI().getPath());
                    response = route.apply(params);
                } catch (IllegalArgumentException e) {
                    response = Response.text(400, "text/plain", e.getMessage() + "\n");
                } catch (RuntimeException e) {
                    // the route, not the path: a path may carry an accession number (no patient data at WARN)
                    LOG.warn("admin request {} failed: {}", exchange.getHttpContext().getPath(), e.toString());
                    response = Response.text(500, "text/plain", "internal error\n");
                }
            }
            if (response == null) {
                response = Response.text(404, "text/plain", "not found\n");
            }
            send(exchange, response);
        }
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", response.contentType());
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
        if (response.body().length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }

    /** The header the board's periodic refreshes carry ("1"): they do not keep a session alive. */
    static final String BACKGROUND_HEADER = "X-Background";

    /** The logged-in session the request's cookie names, or null. */
    private Sessions.Session session(HttpExchange exchange) {
        if (sessions == null) {
            return null;
        }
        String value = cookie(exchange.getRequestHeaders().get("Cookie"), SESSION_COOKIE);
        // a page's periodic refresh says so: it does not count as the person's activity (the idle timeout)
        boolean activity = !"1".equals(exchange.getRequestHeaders().getFirst(BACKGROUND_HEADER));
        return value == null ? null : sessions.find(value, activity).orElse(null);
    }

    static String cookie(java.util.List<String> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (String header : headers) {
            for (String part : header.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
                    return part.substring(eq + 1).trim();
                }
            }
        }
        return null;
    }

    private boolean secure(HttpExchange exchange) {
        return forceSecureCookies || exchange instanceof com.sun.net.httpserver.HttpsExchange;
    }

    /** The person-facing routes: sessions, CSRF on every change, JSON errors. */
    private void handlePerson(HttpExchange exchange, Function<Request, Response> route) throws IOException {
        try (exchange) {
            Response response;
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String context = exchange.getHttpContext().getPath();
            Sessions.Session session = session(exchange);
            boolean machine = !token.isEmpty() && authorized(exchange);
            try {
                if (!path.equals(context) && !(SUB_PATHS.contains(context) && path.startsWith(context + "/"))) {
                    // matched by prefix only (/api/reviewer, /api/session/x are no route; /api/review/ACC is)
                    response = error(404, "not found");
                } else if ("POST".equals(method)) {
                    response = checkChange(exchange, path, session);
                } else if ("GET".equals(method) || "HEAD".equals(method)) {
                    response = null;
                } else {
                    response = error(405, "GET or POST only");
                }
                if (response == null) {
                    byte[] body = "POST".equals(method) ? readBody(exchange) : new byte[0];
                    Map<String, String> headers = new LinkedHashMap<>();
                    exchange.getRequestHeaders().forEach((k, v) -> {
                        if (!v.isEmpty()) {
                            headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0));
                        }
                    });
                    Map<String, String> params = query(exchange.getRequestURI().getRawQuery());
                    InetSocketAddress remote = exchange.getRemoteAddress();
                    String client = clientAddress.of(remote == null ? null : remote.getAddress(),
                            exchange.getRequestHeaders().get("X-Forwarded-For"));
                    response = route.apply(new Request(method, path, params, headers, body, client, secure(exchange),
                            session, machine));
                }
            } catch (BodyTooLarge e) {
                response = error(413, "request body larger than " + MAX_BODY + " bytes");
            } catch (IllegalArgumentException e) {
                response = error(400, e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("admin request {} failed: {}", exchange.getHttpContext().getPath(), e.toString());
                response = error(500, "internal error");
            }
            if (response == null) {
                response = error(404, "not found");
            }
            send(exchange, response);
        }
    }

    /** A POST must be JSON; other than the login, it needs a session and that session's CSRF token. */
    private Response checkChange(HttpExchange exchange, String path, Sessions.Session session) {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        // the media type itself, parameters aside ("application/json; charset=utf-8"), not a prefix of it
        String media = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (!media.equals("application/json")) {
            return error(415, "send the request as application/json");
        }
        if ("/api/login".equals(path)) {
            return null;
        }
        if (session == null) {
            String cookie = cookie(exchange.getRequestHeaders().get("Cookie"), SESSION_COOKIE);
            return error(401, cookie != null && !cookie.isEmpty()
                    ? "your session has ended (no request for too long, logged out, or your user was disabled or given "
                            + "another role or password): log in again"
                    : "log in first: this change needs a user session (the bearer token is read-only)");
        }
        String csrf = exchange.getRequestHeaders().getFirst(CSRF_HEADER);
        if (csrf == null || !MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
                session.csrfToken().getBytes(StandardCharsets.UTF_8))) {
            return error(403, "missing or wrong " + CSRF_HEADER + " header: send the csrfToken the login answered");
        }
        return null;
    }

    private static final class BodyTooLarge extends RuntimeException {
        BodyTooLarge() {
            super(null, null, false, false);
        }
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new BodyTooLarge();
            }
            return body;
        }
    }

    /** {"error": message} with this status. */
    public static Response error(int status, String message) {
        return Response.json(status, Json.write(Map.of("error", message)));
    }

    private boolean authorized(HttpExchange exchange) {
        if (token.isEmpty()) {
            return true;
        }
        String bearer = AdminHttpGuard.bearer(exchange.getRequestHeaders().getFirst("Authorization"));
        String given = bearer != null ? bearer : query(exchange.getRequestURI().getRawQuery()).getOrDefault("token", "");
        return MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The board's stylesheet and script hold no patient data: a browser loads them without the token, which the
     * page then sends on its API calls.
     */
    private static boolean isPublicAsset(String path) {
        return "/board.css".equals(path) || "/board.js".equals(path) || "/review.js".equals(path) || "/".equals(path)
                || "/index.html".equals(path);
    }

    static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    /** Serves a file packaged in the jar (the board's HTML, CSS and JavaScript). */
    public static Function<Map<String, String>, Response> resource(String path, String contentType) {
        return params -> {
            try (InputStream in = AdminHttpServer.class.getResourceAsStream(path)) {
                return in == null ? null : new Response(200, contentType, in.readAllBytes());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @Override
    public void close() {
        server.stop(0);
        // no interrupt of a request in the middle of a database read (it would close an embedded H2 file)
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2, java.util.concurrent.TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
