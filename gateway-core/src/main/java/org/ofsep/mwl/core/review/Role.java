package org.ofsep.mwl.core.review;

import java.util.Locale;

/** What a person may do on the admin port. */
public enum Role {
    /** Confirms or overrides decisions; reads the audit trail. */
    RADIOLOGIST,
    /** Views the worklist and the review list; may add a note. */
    TECHNOLOGIST,
    /** Users and settings; reads the audit trail. */
    ADMIN;

    /** "radiologist", "RADIOLOGIST" ...; a clear error for anything else. */
    public static Role parse(String s) {
        if (s != null) {
            for (Role r : values()) {
                if (r.name().equalsIgnoreCase(s.trim())) {
                    return r;
                }
            }
        }
        throw new IllegalArgumentException("role must be radiologist, technologist or admin, not '" + s + "'");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
