package org.ofsep.mwl.app;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Password hashes: Argon2id (memory-hard) through spring-security-crypto on Bouncy Castle, with a random salt
 * per password, encoded with its parameters ("$argon2id$v=19$m=16384,t=2,p=1$..."). Passwords are never stored
 * or logged in clear.
 */
public final class Passwords {
    /** Shortest password accepted. */
    public static final int MIN_LENGTH = 10;
    private static final Argon2PasswordEncoder ENCODER = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    /** Compared against when the user does not exist, so that case takes as long as a wrong password. */
    private static final String DUMMY = ENCODER.encode("not-a-real-password-0000");

    private Passwords() {
    }

    public static String hash(CharSequence password) {
        if (password == null || password.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("a password needs at least " + MIN_LENGTH + " characters");
        }
        return ENCODER.encode(password);
    }

    public static boolean matches(CharSequence password, String hash) {
        if (password == null) {
            return false;
        }
        return ENCODER.matches(password, hash == null ? DUMMY : hash) && hash != null;
    }
}
