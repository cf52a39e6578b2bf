package org.ofsep.mwl.core.service;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Makes DICOM UIDs (PS3.5 9.1). Under the UUID arc {@code 2.25} (the default) a UID is {@code 2.25.<n>} where n is
 * a random (version 4) UUID read as one unsigned 128-bit integer, as PS3.5 B.2 defines it: nothing else may follow
 * 2.25, so a root written below it ("2.25.1") gives the same UUID-derived UIDs. Under a site's registered root a UID
 * is {@code <root>.<millis>.<counter>.<random>}, at most 64 characters, digits and dots only, no component with a
 * leading zero. The random parts make two gateway instances sharing a root safe without coordination; a
 * per-process counter separates UIDs made in the same millisecond.
 */
public final class UidGenerator {

    /** The UUID-derived arc (PS3.5 B.2): the default root, needing no registration. */
    public static final String UUID_ROOT = "2.25";

    /** A UID root for tests and demos: the UUID arc. */
    public static final String DEFAULT_ROOT = UUID_ROOT;

    private static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");
    private static final int MAX_LENGTH = 64;

    private final String root;
    private final Clock clock;
    private final AtomicLong counter = new AtomicLong();

    public UidGenerator(String root, Clock clock) {
        if (root == null || !isValid(root)) {
            throw new IllegalArgumentException("not a valid UID root: " + root);
        }
        // leave room for ".<millis 13>.<counter up to 7>.<at least one random digit>"
        if (root.length() > MAX_LENGTH - 24) {
            throw new IllegalArgumentException("UID root too long (max " + (MAX_LENGTH - 24) + " characters): " + root);
        }
        this.root = root;
        this.clock = clock;
    }

    public UidGenerator(String root) {
        this(root, Clock.systemUTC());
    }

    public String root() {
        return root;
    }

    /** True when UIDs are made from UUIDs (the root is 2.25 or below it). */
    public boolean uuidDerived() {
        return root.equals(UUID_ROOT) || root.startsWith(UUID_ROOT + ".");
    }

    public String next() {
        if (uuidDerived()) {
            return fromUuid(java.util.UUID.randomUUID());
        }
        long millis = clock.millis();
        long count = counter.incrementAndGet() % 1_000_000L + 1;
        String prefix = root + "." + millis + "." + count + ".";
        int room = Math.min(18, MAX_LENGTH - prefix.length());
        long bound = 1;
        for (int i = 0; i < room; i++) {
            bound *= 10;
        }
        long random = ThreadLocalRandom.current().nextLong(bound / 10, bound); // exactly 'room' digits, no leading 0
        return prefix + random;
    }

    /** {@code 2.25.<the UUID as an unsigned 128-bit decimal integer>} (PS3.5 B.2), at most 44 characters. */
    public static String fromUuid(java.util.UUID uuid) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
        b.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return UUID_ROOT + "." + new java.math.BigInteger(1, b.array());
    }

    /** Syntax check of a UID (PS3.5 9.1): digits and dots, no empty or zero-led component, at most 64 chars. */
    public static boolean isValid(String uid) {
        return uid != null && !uid.isEmpty() && uid.length() <= MAX_LENGTH && UID.matcher(uid).matches();
    }
}
