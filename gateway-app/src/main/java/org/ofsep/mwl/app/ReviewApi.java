package org.ofsep.mwl.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.ofsep.mwl.app.AdminHttpServer.Request;
import org.ofsep.mwl.app.AdminHttpServer.Response;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.review.AuditEvent;
import org.ofsep.mwl.core.review.ReviewItem;
import org.ofsep.mwl.core.review.ReviewRefusedException;
import org.ofsep.mwl.core.review.Role;
import org.ofsep.mwl.core.review.User;
import org.ofsep.mwl.store.service.JdbcReviewService;
import org.ofsep.mwl.store.AuditTable;
import org.ofsep.mwl.store.UserTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The person-facing HTTP API of the admin port (README, "Radiologist review"): login and logout, the review list
 * and its CONFIRM / OVERRIDE / NOTE actions, and the audit trail.
 *
 * <pre>
 * POST /api/login            {"user":..,"password":..} -> {"csrfToken":..,"user":..,"role":..} + session cookie
 * POST /api/logout           (X-CSRF-Token)
 * GET  /api/session          -> {"user","role","csrfToken"}, {"user":null} when not logged in
 * GET  /api/review?date=&station=   -> {"date","items":[{accessionNumber, version, state, ...}]}
 * POST /api/review/{accessionNumber} {"action":"CONFIRM"|"OVERRIDE"|"NOTE","examCard","contrast",
 *                                     "optionalSequences","reason","version"}  (X-CSRF-Token)
 * GET  /api/audit?from=&to=&user=   (radiologist, admin, or the bearer token)
 * </pre>
 */
final class ReviewApi {
    private static final Logger LOG = LoggerFactory.getLogger(ReviewApi.class);
    /** Strict: a body with anything after its JSON value ("{...} this is not JSON") is refused, not half read. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** The most audit events one answer of /api/audit holds; a wider request is refused, never cut. */
    static final int AUDIT_LIMIT = 10_000;

    private final UserTable users;
    private final AuditTable audit;
    private final JdbcReviewService reviews;
    private final Sessions sessions;
    private final GatewayMetrics metrics;
    private final int maxFailures;
    private final Duration lockFor;
    /** The site's clock (gateway.yaml timeZone): what "today" and a day's bounds are. */
    private final Clock siteClock;

    ReviewApi(UserTable users, AuditTable audit, JdbcReviewService reviews, Sessions sessions, GatewayMetrics metrics,
              int maxFailures, Duration lockFor, Clock siteClock) {
        this.siteClock = siteClock;
        this.users = users;
        this.audit = audit;
        this.reviews = reviews;
        this.sessions = sessions;
        this.metrics = metrics;
        this.maxFailures = maxFailures;
        this.lockFor = lockFor;
        sessions.checkedBy(this::stillValid);
    }

    /**
     * The session's user is still enabled, with the role and the password it logged in with: 'gateway user add'
     * (a new role or password) and 'gateway user disable' end the sessions opened before, at their next request.
     */
    private boolean stillValid(Sessions.Session s) {
        Optional<User> u = users.find(s.user());
        return u.isPresent() && u.get().enabled() && u.get().role() == s.role()
                && Sessions.fingerprint(u.get().passwordHash()).equals(s.credential());
    }

    Map<String, Function<Request, Response>> routes() {
        Map<String, Function<Request, Response>> routes = new LinkedHashMap<>();
        routes.put("/api/login", r -> post(r, this::login));
        routes.put("/api/logout", r -> post(r, this::logout));
        routes.put("/api/session", this::session);
        routes.put("/api/review", this::review);
        routes.put("/api/audit", this::audit);
        return routes;
    }

    private static Response post(Request r, Function<Request, Response> handler) {
        return "POST".equals(r.method()) ? handler.apply(r) : AdminHttpServer.error(405, "POST only");
    }

    // ---------------------------------------------------------------- login

    /** The actor of a failed login whose user name is no user's (the typed text is not kept). */
    static final String UNKNOWN_USER = "(unknown user)";

    private Response login(Request r) {
        JsonNode body = body(r);
        String name = body.path("user").asText("").trim();
        String password = body.path("password").asText("");
        if (name.isEmpty() || password.isEmpty()) {
            return AdminHttpServer.error(400, "send {\"user\": ..., \"password\": ...}");
        }
        if (name.length() > 64) {
            name = name.substring(0, 64);
        }
        // one password check at a time per account: concurrent guesses all read the lock state before any of them
        // counted, so 30 at once got 20 checks past a lockout of 5, and a right password among them unlocked it
        if (!checking.add(name)) {
            // refused unchecked, and still said: logged and audited as every failed login
            // as for any failed login, a name that is no user's is not kept (it may be a password typed there)
            String actor = users.find(name).isPresent() ? name : UNKNOWN_USER;
            audit.record(AuditEvent.of(Instant.now(), actor, r.remoteAddress(), "LOGIN_FAILED",
                    "not checked: another login for this account was being checked"));
            LOG.info("Admin login failed from {}: another login for this account was being checked",
                    r.remoteAddress());
            metrics.login("locked");
            return AdminHttpServer.error(429, "another login for this account is being checked; try again");
        }
        try {
            return checkedLogin(r, name, password);
        } finally {
            checking.remove(name);
        }
    }

    /** The accounts whose password is being checked now ({@link #login}). */
    private final java.util.Set<String> checking = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Response checkedLogin(Request r, String name, String password) {
        Optional<User> found = users.find(name);
        Instant now = Instant.now();
        if (found.isPresent() && found.get().lockedUntil() != null && now.isBefore(found.get().lockedUntil())) {
            audit.record(AuditEvent.of(now, name, r.remoteAddress(), "LOGIN_FAILED", "account locked"));
            LOG.info("Admin login failed from {}: account locked", r.remoteAddress());
            metrics.login("locked");
            return AdminHttpServer.error(429, "too many failed logins: this account is locked until "
                    + found.get().lockedUntil() + "; an admin may reset it with 'gateway user add'");
        }
        boolean ok = Passwords.matches(password, found.map(User::passwordHash).orElse(null));
        if (!ok || !found.get().enabled()) {
            String why = found.isEmpty() ? "unknown user" : !ok ? "wrong password" : "user disabled";
            if (found.isPresent()) {
                Instant locked = users.loginFailed(name, r.remoteAddress(), maxFailures, lockFor, why);
                if (locked != null) {
                    LOG.warn("Admin login: account locked after repeated failures (from {})", r.remoteAddress());
                }
            } else {
                // what was typed as a user name is no user's: it may be a password typed in the wrong field, so
                // it is not kept (the address and the time are)
                audit.record(AuditEvent.of(now, UNKNOWN_USER, r.remoteAddress(), "LOGIN_FAILED", why));
            }
            LOG.info("Admin login failed from {}: {}", r.remoteAddress(), why);
            metrics.login("failed");
            return AdminHttpServer.error(401, "wrong user name or password");
        }
        User user = found.get();
        users.loginSucceeded(user.name(), r.remoteAddress());
        StringBuilder csrf = new StringBuilder();
        String token = sessions.open(user.name(), user.role(), user.passwordHash(), r.remoteAddress(), csrf);
        LOG.info("Admin login: {} ({}) from {}", user.name(), user.role().label(), r.remoteAddress());
        metrics.login("ok");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("csrfToken", csrf.toString());
        json.put("user", user.name());
        json.put("role", user.role().label());
        return Response.json(200, Json.write(json)).with("Set-Cookie", cookie(token, r.secure(),
                sessions.maxAge().toSeconds()));
    }

    static String cookie(String value, boolean secure, long maxAgeSeconds) {
        return AdminHttpServer.SESSION_COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    private Response logout(Request r) {
        String token = AdminHttpServer.cookie(r.header("cookie") == null ? null : List.of(r.header("cookie")),
                AdminHttpServer.SESSION_COOKIE);
        sessions.close(token);
        audit.record(AuditEvent.of(Instant.now(), r.session().user(), r.remoteAddress(), "LOGOUT", null));
        LOG.info("Admin logout: {} from {}", r.session().user(), r.remoteAddress());
        return Response.json(200, "{\"loggedOut\":true}").with("Set-Cookie", cookie("", r.secure(), 0));
    }

    private Response session(Request r) {
        if (person(r) == null) {
            // 200, not 401: the board asks on every load, and a browser logs every error status
            return Response.json(200, "{\"user\":null}");
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("user", r.session().user());
        json.put("role", r.session().role().label());
        json.put("csrfToken", r.session().csrfToken());
        return Response.json(200, Json.write(json));
    }

    /**
     * The session's user; null when the request has none (or the user was disabled, or given another role or
     * password since: {@link #stillValid}, checked when the request's session was looked up).
     */
    private Sessions.Session person(Request r) {
        return r.session();
    }

    // ---------------------------------------------------------------- review

    private Response review(Request r) {
        String rest = r.path().substring("/api/review".length());
        if ("GET".equals(r.method()) || "HEAD".equals(r.method())) {
            if (!rest.isEmpty() && !"/".equals(rest)) {
                return reviewOne(r, decode(rest.substring(1)));
            }
            if (person(r) == null && !r.machine()) {
                return AdminHttpServer.error(401, "log in (or send the bearer token) to read the review list");
            }
            LocalDate date = date(r.params().get("date"), "date", LocalDate.now(siteClock));
            boolean all = Boolean.parseBoolean(r.params().get("all"));
            boolean reveal = Boolean.parseBoolean(r.params().get("reveal"));
            List<Map<String, Object>> items = new ArrayList<>();
            for (ReviewItem item : reviews.list(date, r.params().get("station"), all)) {
                items.add(json(item, reveal));
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("date", date.toString());
            json.put("items", items);
            // what an override may name, per card (the board offers only the chosen card's)
            json.put("optionalSequences", reviews.optionalSequencesByCard());
            return Response.json(200, Json.write(json));
        }
        // POST /api/review/{accessionNumber}
        if (rest.length() < 2) {
            return AdminHttpServer.error(404, "POST /api/review/{accessionNumber}");
        }
        Sessions.Session s = person(r);
        if (s == null) {
            return AdminHttpServer.error(401, "log in first: your session ended or your user was disabled");
        }
        JsonNode body = body(r);
        List<String> sequences = null;
        if (body.has("optionalSequences") && !body.get("optionalSequences").isArray()
                && !body.get("optionalSequences").isNull()) {
            return AdminHttpServer.error(400, "optionalSequences: a list of sequence names");
        }
        if (body.has("optionalSequences") && body.get("optionalSequences").isArray()) {
            sequences = new ArrayList<>();
            for (JsonNode n : body.get("optionalSequences")) {
                if (!n.isTextual()) {
                    return AdminHttpServer.error(400, "optionalSequences: each one is a sequence name (text), not "
                            + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
                }
                sequences.add(n.asText());
            }
        }
        if (body.has("version") && !body.get("version").isIntegralNumber()) {
            return AdminHttpServer.error(400, "version: the whole number the review was loaded with");
        }
        String action = body.path("action").asText(null);
        JdbcReviewService.Action a = new JdbcReviewService.Action(s.user(), s.role(), r.remoteAddress(),
                decode(rest.substring(1)), text(body, "spsId"), action, text(body, "examCard"),
                body.has("contrast") && body.get("contrast").isBoolean() ? body.get("contrast").booleanValue() : null,
                sequences, text(body, "reason"),
                body.has("version") && body.get("version").canConvertToInt() ? body.get("version").intValue() : null);
        try {
            ReviewItem done = reviews.act(a);
            metrics.reviewAction(action, done.rules(), done.item().decision());
            // the action as applied (trimmed, one of CONFIRM, OVERRIDE, NOTE), never the raw text sent
            LOG.info("Review: {} by {} on item {}", action.trim().toUpperCase(java.util.Locale.ROOT), s.user(),
                    done.item().id());
            return Response.json(200, Json.write(json(done, false)));
        } catch (ReviewRefusedException e) {
            return AdminHttpServer.error(e.status(), e.getMessage());
        }
    }

    private Response reviewOne(Request r, String accession) {
        if (person(r) == null && !r.machine()) {
            return AdminHttpServer.error(401, "log in (or send the bearer token) to read a review");
        }
        ReviewItem item = reviews.find(accession);
        return item == null ? AdminHttpServer.error(404, "no exam with an OFSEP decision has accession number "
                + accession) : Response.json(200, Json.write(json(item, Boolean.parseBoolean(r.params().get("reveal")))));
    }

    static Map<String, Object> json(ReviewItem r, boolean reveal) {
        Map<String, Object> json = WorklistView.item(r.item(), reveal);
        json.put("version", r.version());
        json.put("reviewState", r.state().name());
        json.put("reviewWhy", r.why());
        json.put("reviewedBy", r.reviewedBy());
        json.put("reviewedAt", r.reviewedAt() == null ? null : r.reviewedAt().toString());
        json.put("reviewReason", r.reason());
        json.put("note", r.note());
        json.put("proposed", proposed(r.rules()));
        return json;
    }

    /** What the rules decided (the console may have a held or overridden version). */
    private static Map<String, Object> proposed(Decision d) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("examCard", d.examCard() == null ? null : d.examCard().name());
        json.put("contrast", d.contrast());
        json.put("contrastOptional", d.contrastOptional());
        json.put("spine", d.spine());
        json.put("rule", d.rule() == null ? null : d.rule().name());
        json.put("reasons", d.reasons());
        json.put("alerts", d.alerts());
        json.put("optionalSequences", d.optionalSequences());
        json.put("facts", d.facts().stream().map(f -> {
            Map<String, Object> fact = new LinkedHashMap<>();
            fact.put("name", f.name());
            fact.put("value", f.value());
            fact.put("source", f.source());
            fact.put("text", f.text());
            fact.put("description", f.describe());
            return fact;
        }).toList());
        if (d.contrastDose() != null) {
            json.put("contrastDose", Map.of("agent", d.contrastDose().agent(), "mmol", d.contrastDose().mmol(),
                    "ml", d.contrastDose().ml()));
        }
        return json;
    }

    // ---------------------------------------------------------------- audit

    private Response audit(Request r) {
        Sessions.Session s = person(r);
        if (s == null && !r.machine()) {
            return AdminHttpServer.error(401, "log in as a radiologist or an admin to read the audit trail");
        }
        if (s != null && s.role() == Role.TECHNOLOGIST && !r.machine()) {
            return AdminHttpServer.error(403, "the audit trail is for radiologists and admins");
        }
        ZoneId zone = siteClock.getZone();
        LocalDate to = date(r.params().get("to"), "to", LocalDate.now(siteClock));
        LocalDate from = date(r.params().get("from"), "from", to.minusDays(30));
        List<AuditEvent> events = audit.list(from.atStartOfDay(zone).toInstant(),
                to.plusDays(1).atStartOfDay(zone).toInstant(), r.params().get("user"), null, AUDIT_LIMIT + 1);
        if (events.size() > AUDIT_LIMIT) {
            // never a silently partial trail (the list is oldest first: the newest events would be the ones missing)
            return AdminHttpServer.error(400, "more than " + AUDIT_LIMIT + " audit events from " + from + " to " + to
                    + ": ask for a shorter period (from, to) or one user (user), or use 'gateway audit'");
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("from", from.toString());
        json.put("to", to.toString());
        json.put("events", events.stream().map(ReviewApi::event).toList());
        return Response.json(200, Json.write(json));
    }

    static Map<String, Object> event(AuditEvent e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", e.id());
        json.put("at", e.at().toString());
        json.put("user", e.actor());
        json.put("address", e.address());
        json.put("action", e.action());
        json.put("itemId", e.itemId());
        json.put("accessionNumber", e.accessionNumber());
        json.put("before", tree(e.before()));
        json.put("after", tree(e.after()));
        json.put("reason", e.reason());
        json.put("detail", e.detail());
        return json;
    }

    private static Object tree(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return json;
        }
    }

    // ---------------------------------------------------------------- helpers

    private static JsonNode body(Request r) {
        try {
            JsonNode n = JSON.readTree(new String(r.body(), StandardCharsets.UTF_8));
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("the body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not valid JSON");
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    static LocalDate date(String value, String name, LocalDate otherwise) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be a date YYYY-MM-DD, not '" + value + "'");
        }
    }
}
