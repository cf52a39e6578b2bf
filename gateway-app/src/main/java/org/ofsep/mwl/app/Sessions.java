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
import org.ofsep.mwl.core.review.Role;

/**
 * The logged-in people of the admin port, in memory (a restart logs everyone out). The cookie carries a random
 * 256-bit token; only its SHA-256 is kept as the key. Each session has its own CSRF token, sent back by the page
 * as the X-CSRF-Token header on every change. A session ends after {@code idle} without a request, after
 * {@code maxAge} in any case, or at logout.
 */
public final class Sessions {

    /** One logged-in person. */
    public record Session(String user, Role role, String csrfToken, Instant created, String address) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Entry> byTokenHash = new ConcurrentHashMap<>();
    private final Duration idle;
    private final Duration maxAge;
    private final Clock clock;

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

    public Duration maxAge() {
        return maxAge;
    }

    /** A new session; returns the cookie token (given to the browser once, never stored). */
    public String open(String user, Role role, String address, StringBuilder csrfOut) {
        purge();
        String token = random();
        String csrf = random();
        Instant now = clock.instant();
        byTokenHash.put(hash(token), new Entry(new Session(user, role, csrf, now, address), now));
        csrfOut.append(csrf);
        return token;
    }

    /** The live session of this cookie token, which it keeps alive. */
    public Optional<Session> find(String token) {
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
        e.lastSeen = now;
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

    private static String hash(String token) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
