package org.ofsep.mwl.core.domain;

/**
 * Where a decision stands with the radiologist.
 * AUTO: published as the rules decided. TO_REVIEW: a person must look at it (while it carries Gd, the console
 * receives the card without Gd). CONFIRMED: a radiologist kept the rules' decision. OVERRIDDEN: a radiologist
 * chose another card or contrast. CONFIRMED and OVERRIDDEN decisions are never replaced automatically.
 */
public enum ReviewState {
    AUTO, TO_REVIEW, CONFIRMED, OVERRIDDEN;

    /** A person decided: no automatic decision may replace it. */
    public boolean byPerson() {
        return this == CONFIRMED || this == OVERRIDDEN;
    }
}
