package org.ofsep.mwl.core.service;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Makes DICOM UIDs (PS3.5 9.1) under the site's registered root: {@code <root>.<millis>.<random>}, at most 64
 * characters, digits and dots only, no component with a leading zero. The random part makes two gateway
 * instances sharing a root safe without coordination; a per-process counter separates UIDs made in the same
 * millisecond.
 */
public final class UidGenerator {

    /** A UID root for tests and demos: 2.25 is the UUID-derived arc, any number below it is syntactically valid. */
    public static final String DEFAULT_ROOT = "2.25.1";

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

    public String next() {
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

    /** Syntax check of a UID (PS3.5 9.1): digits and dots, no empty or zero-led component, at most 64 chars. */
    public static boolean isValid(String uid) {
        return uid != null && !uid.isEmpty() && uid.length() <= MAX_LENGTH && UID.matcher(uid).matches();
    }
}
