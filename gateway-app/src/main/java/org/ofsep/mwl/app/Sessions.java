package org.ofsep.mwl.app;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.ofsep.mwl.core.review.Role;

/**
 * The logged-in people of the admin port, in memory (a restart logs everyone out). The cookie carries a random
 * 256-bit token; only its SHA-256 is kept as the key. Each session has its own CSRF token, sent back by the page
 * as the X-CSRF-Token header on every change. A session ends after {@code idle} without a request, after
 * {@code maxAge} in any case, at logout, or at its next request once its user no longer holds what the session
 * was opened with ({@link #checkedBy}: disabled, another role, a new password, all of which {@code gateway user}
 * changes in the store, possibly from another process).
 */
public final class Sessions {

    /**
     * One logged-in person.
     *
     * @param credential the fingerprint of the password hash the user logged in with ({@link #fingerprint})
     */
    public record Session(String user, Role role, String csrfToken, Instant created, String address,
                          String credential) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Entry> byTokenHash = new ConcurrentHashMap<>();
    private final Duration idle;
    private final Duration maxAge;
    private final Clock clock;
    /** Whether a session's user still holds its role and password and is enabled; none: always. */
    private volatile Predicate<Session> stillValid = s -> true;

    private static final class Entry {
        final Session session;
        volatile Instant lastSeen;

        Entry(Session session, Instant lastSeen) {
            this.session = session;
            this.lastSeen = lastSeen;
        }
    }

    public Sessions(Duration idle, Duration maxAge, Clock clock) {
        this.idle = idle;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /**
     * The check each request's session passes before it is used: a session whose user was disabled, given another
     * role or a new password since the login is ended (every session of that user). When the check cannot be made
     * (the store unreachable) the request is served without the session, which stays.
     */
    public Sessions checkedBy(Predicate<Session> stillValid) {
        this.stillValid = stillValid;
        return this;
    }

    public Duration maxAge() {
        return maxAge;
    }

    /** A new session; returns the cookie token (given to the browser once, never stored). */
    public String open(String user, Role role, String passwordHash, String address, StringBuilder csrfOut) {
        purge();
        String token = random();
        String csrf = random();
        Instant now = clock.instant();
        byTokenHash.put(hash(token), new Entry(new Session(user, role, csrf, now, address, fingerprint(passwordHash)),
                now));
        csrfOut.append(csrf);
        return token;
    }

    /** The live session of this cookie token, which it keeps alive. */
    public Optional<Session> find(String token) {
        return find(token, true);
    }

    /**
     * The live session of this cookie token; {@code activity} false for a page's own periodic refresh (the board
     * sends {@code X-Background: 1}), which does not keep it alive: the idle timeout counts from the person's last
     * request, not from the last poll of an open page.
     */
    public Optional<Session> find(String token, boolean activity) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return Optional.empty();
        }
        String key = hash(token);
        Entry e = byTokenHash.get(key);
        if (e == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (now.isAfter(e.lastSeen.plus(idle)) || now.isAfter(e.session.created().plus(maxAge))) {
            byTokenHash.remove(key);
            return Optional.empty();
        }
        boolean valid;
        try {
            valid = stillValid.test(e.session);
        } catch (RuntimeException unavailable) {
            return Optional.empty(); // not now (the store is down), but not ended either
        }
        if (!valid) {
            closeAll(e.session.user());
            return Optional.empty();
        }
        if (activity) {
            e.lastSeen = now;
        }
        return Optional.of(e.session);
    }

    public void close(String token) {
        if (token != null) {
            byTokenHash.remove(hash(token));
        }
    }

    /** Ends every session of this user (disabled, password changed). */
    public void closeAll(String user) {
        byTokenHash.values().removeIf(e -> e.session.user().equals(user));
    }

    private void purge() {
        Instant now = clock.instant();
        byTokenHash.values().removeIf(e -> now.isAfter(e.lastSeen.plus(idle))
                || now.isAfter(e.session.created().plus(maxAge)));
    }

    private static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** A password hash's fingerprint, kept in the session to see a password changed since the login. */
    public static String fingerprint(String passwordHash) {
        return passwordHash == null ? "" : hash(passwordHash);
    }

    private static String hash(String token) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
