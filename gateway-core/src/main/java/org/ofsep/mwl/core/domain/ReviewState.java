package org.ofsep.mwl.core.domain;

/**
 * Where a decision stands with the radiologist. The decision engine never sets it: a review policy
 * ({@code org.ofsep.mwl.core.decision.ReviewPolicy}, the mapping's {@code review} section) computes the state of a
 * fresh automatic decision (AUTO or TO_REVIEW) and the store keeps it with the worklist item (table item_review);
 * a radiologist's action makes it CONFIRMED or OVERRIDDEN.
 */
public enum ReviewState {
    /** Applied as decided, nobody needs to confirm it. */
    AUTO,
    /** A radiologist is to confirm or override the decision; while it carries Gd the console gets it without Gd. */
    TO_REVIEW,
    /** A radiologist kept the rules' decision (Gd included). */
    CONFIRMED,
    /** A radiologist chose another card or contrast. */
    OVERRIDDEN;

    /** A person decided: no automatic decision may replace it. */
    public boolean byPerson() {
        return this == CONFIRMED || this == OVERRIDDEN;
    }
}
