package org.ofsep.mwl.app;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every admin HTTP request goes through before its route (issue 17.8):
 * <ul>
 *   <li>the {@code Host} header must name this server: an IP address literal, {@code localhost}, or one of
 *       {@code http.allowedHosts}; any other name is refused (403), which defeats DNS rebinding (a hostile page
 *       whose own name resolves to 127.0.0.1 cannot read the tokenless loopback port);</li>
 *   <li>security headers on every answer: Content-Security-Policy (same-origin scripts, styles and requests
 *       only; no framing), X-Content-Type-Options nosniff, X-Frame-Options DENY, Referrer-Policy no-referrer.</li>
 * </ul>
 * It also holds the rules for the bearer token: at least {@link #MIN_TOKEN_LENGTH} characters, the scheme name
 * compared case-insensitively (RFC 6750, RFC 9110 11.1).
 */
final class AdminHttpGuard extends Filter {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHttpGuard.class);

    /** A shorter token can be guessed; refused at start. */
    static final int MIN_TOKEN_LENGTH = 32;

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private volatile Set<String> allowedHosts = Set.of();
    /** Who a request comes from, as the audit trail says it (behind a trusted proxy, its X-Forwarded-For). */
    private volatile ClientAddress clientAddress = ClientAddress.PEER_ONLY;

    void clientAddress(ClientAddress address) {
        this.clientAddress = address;
    }

    /** Extra host names (lower case, without port) the admin port may be called by, e.g. gateway.chu.example. */
    void allowHosts(Set<String> names) {
        this.allowedHosts = names.stream().map(n -> n.trim().toLowerCase(Locale.ROOT)).filter(n -> !n.isEmpty())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    @Override
    public String description() {
        return "Host check and security headers";
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (!hostAllowed(host)) {
            LOG.warn("Admin HTTP request from {} refused: Host '{}' is not this server (add it to http.allowedHosts "
                    + "if it is a name of this gateway)", clientAddress.of(exchange.getRemoteAddress().getAddress(),
                            exchange.getRequestHeaders().get("X-Forwarded-For")),
                    host == null ? "" : host.length() > 100 ? host.substring(0, 100) : host);
            try (exchange) {
                byte[] body = "Host not allowed: call this server by its address, localhost or a name in http.allowedHosts\n"
                        .getBytes(StandardCharsets.UTF_8);
                headers.set("Content-Type", "text/plain; charset=utf-8");
                headers.set("Cache-Control", "no-store");
                exchange.sendResponseHeaders(403, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            return;
        }
        chain.doFilter(exchange);
    }

    /** An IP literal, localhost, or a configured name; with or without a port. HTTP/1.1 requires the header. */
    boolean hostAllowed(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        String name;
        if (h.startsWith("[")) { // [IPv6]:port
            int end = h.indexOf(']');
            if (end < 0) {
                return false;
            }
            name = h.substring(1, end);
            String rest = h.substring(end + 1);
            return (rest.isEmpty() || rest.matches(":\\d{1,5}")) && name.matches("[0-9a-f:.]+") && name.contains(":");
        }
        int colon = h.lastIndexOf(':');
        if (colon >= 0) {
            if (!h.substring(colon + 1).matches("\\d{1,5}")) {
                return false;
            }
            name = h.substring(0, colon);
        } else {
            name = h;
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return isIpv4(name) || "localhost".equals(name) || allowedHosts.contains(name);
    }

    private static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** The credentials of an {@code Authorization: Bearer ...} header (scheme in any case), or null. */
    static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String a = authorization.trim();
        if (a.length() > 7 && a.regionMatches(true, 0, "Bearer", 0, 6) && Character.isWhitespace(a.charAt(6))) {
            return a.substring(7).trim();
        }
        return null;
    }

    /** Refuses a token too short to resist guessing; blank means no token. */
    static void checkToken(String token) {
        if (token != null && !token.isBlank() && token.trim().length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException("http.token is " + token.trim().length() + " characters: use at least "
                    + MIN_TOKEN_LENGTH + " random characters (e.g. openssl rand -hex 32)");
        }
    }
}
