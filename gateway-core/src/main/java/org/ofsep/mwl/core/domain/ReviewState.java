package org.ofsep.mwl.core.domain;

/**
 * Whether a person must look at a decision before the exam. The decision engine never sets it: a
 * {@code org.ofsep.mwl.core.decision.ReviewPolicy} computes it from the decision (alerts, optional Gd, conflicting
 * facts), and the store keeps it with the worklist item (column {@code review_state}, default {@link #AUTO}).
 */
public enum ReviewState {
    /** Applied as decided, nobody needs to confirm it. */
    AUTO,
    /** A radiologist is to confirm or override the decision. */
    TO_REVIEW
}
