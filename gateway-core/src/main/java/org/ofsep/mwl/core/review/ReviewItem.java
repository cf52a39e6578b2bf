package org.ofsep.mwl.core.review;

import java.time.Instant;
import java.util.List;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ReviewState;
import org.ofsep.mwl.core.domain.WorklistItem;

/**
 * A worklist item with its review: what the console receives ({@code item.decision()}), what the rules decided,
 * the state, the version a change must name, and who reviewed it.
 */
public record ReviewItem(WorklistItem item, ReviewState state, int version, Decision rules, List<String> why,
                         String reviewedBy, Instant reviewedAt, String reason, String note) {
    public ReviewItem {
        why = why == null ? List.of() : List.copyOf(why);
    }
}
