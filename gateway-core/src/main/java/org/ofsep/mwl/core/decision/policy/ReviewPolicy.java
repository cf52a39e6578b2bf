package org.ofsep.mwl.core.decision.policy;

import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ReviewState;

/**
 * The hook for the radiologist review: computes the review state of a fresh automatic decision from what the
 * decision says (its {@link Decision#alerts() alerts}, {@link Decision#contrastOptional() optional Gd}, the
 * {@link Decision#rule() rule} and the {@link Decision#facts() facts} it read). The decision engine never
 * decides review; whoever stores a decision asks the policy in force. Until a site policy exists, every
 * decision is {@link ReviewState#AUTO}.
 */
@FunctionalInterface
public interface ReviewPolicy {

    /** Every automatic decision applies as it is. */
    ReviewPolicy ALWAYS_AUTO = decision -> ReviewState.AUTO;

    /** The state a new automatic decision starts in. */
    ReviewState initialState(Decision decision);
}
