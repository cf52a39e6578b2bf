package org.ofsep.mwl.core.service;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Makes DICOM UIDs (PS3.5 9.1). Under the UUID arc {@code 2.25} (the default) a UID is {@code 2.25.<n>} where n is
 * a UUID read as one unsigned 128-bit integer, as PS3.5 B.2 defines it: nothing else may follow 2.25, so a root
 * written below it ("2.25.1") gives the same UUID-derived UIDs. The UUID is time-ordered (version 7, RFC 9562: the
 * millisecond of its making, then 74 random bits from a {@link SecureRandom}): UIDs made later are larger, and
 * since they have the same number of digits for centuries they also sort later as text, so the store's index of
 * Study Instance UIDs grows at its end, like its other keys, instead of taking each new UID at a random place
 * (on H2 that rewrote a random leaf of the index at every order's commit, about 4 KB). PS3.5 B.2's own example
 * is a time-based UUID (version 1). Under a site's registered root a UID
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
            return fromUuid(timeOrderedUuid(clock.millis()));
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

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A version 7 UUID (RFC 9562 5.7): 48 bits of Unix time in milliseconds, the version (7), 12 random bits, the
     * IETF variant (binary 10), 62 random bits.
     */
    static java.util.UUID timeOrderedUuid(long unixMillis) {
        byte[] r = new byte[10];
        RANDOM.nextBytes(r);
        long randA = ((r[0] & 0xFFL) << 8 | (r[1] & 0xFFL)) & 0xFFF;
        long randB = 0;
        for (int i = 2; i < 10; i++) {
            randB = randB << 8 | (r[i] & 0xFFL);
        }
        long msb = (unixMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | randA;
        long lsb = 0x8000_0000_0000_0000L | (randB & 0x3FFF_FFFF_FFFF_FFFFL);
        return new java.util.UUID(msb, lsb);
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
