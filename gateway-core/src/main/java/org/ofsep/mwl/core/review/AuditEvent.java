package org.ofsep.mwl.core.review;

import java.time.Instant;

/**
 * One line of the append-only audit trail.
 *
 * @param id            ascending, 0 before it is stored
 * @param at            when
 * @param actor         the user's name, or "gateway" for an automatic change
 * @param address       the client's IP address, or null (command line, automatic)
 * @param action        LOGIN, LOGIN_FAILED, LOGOUT, CONFIRM, OVERRIDE, NOTE, REDECIDED, RULES_AGREED, USER_ADDED,
 *                      USER_DISABLED, USER_PASSWORD, MAPPING_LOADED, MAPPING_RELOADED, MAPPING_UPGRADED, MESSAGE_REPLAYED, STORE_COMPACTED
 * @param itemId        the worklist item concerned, or null
 * @param accessionNumber the item's accession number, or null
 * @param before        the decision before (JSON summary), or null
 * @param after         the decision after (JSON summary), or null
 * @param reason        the person's reason, or null
 * @param detail        anything else (never a password)
 * @param rulesContrast the rules' Gd choice for a review action, or null
 * @param afterContrast the Gd choice after a review action, or null
 */
public record AuditEvent(long id, Instant at, String actor, String address, String action, Long itemId,
                         String accessionNumber, String before, String after, String reason, String detail,
                         Boolean rulesContrast, Boolean afterContrast) {

    /** An event about no item. */
    public static AuditEvent of(Instant at, String actor, String address, String action, String detail) {
        return new AuditEvent(0, at, actor, address, action, null, null, null, null, null, detail, null, null);
    }
}
