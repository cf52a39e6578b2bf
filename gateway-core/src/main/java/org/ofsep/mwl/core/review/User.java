package org.ofsep.mwl.core.review;

import java.time.Instant;

/**
 * A person who may log in to the admin port. The password is kept only as a hash.
 *
 * @param failedLogins consecutive failed logins since the last success
 * @param lockedUntil  logins refused until then after too many failures, or null
 */
public record User(String name, Role role, String passwordHash, boolean enabled, int failedLogins,
                   Instant lockedUntil) {
    @Override
    public String toString() {
        return "User[" + name + ", " + role + (enabled ? "" : ", disabled") + "]"; // never the hash
    }
}
