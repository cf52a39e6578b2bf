package org.ofsep.mwl.core.domain;

/**
 * Which OFSEP 2020 rule decided a step: one constant per entry of the rule table
 * ({@code org.ofsep.mwl.core.decision.OfsepRules}), in the order they are tried, plus {@link #NOT_OFSEP} for an
 * order that is not an MS order (no rule applied; the RIS's code passes through).
 */
public enum RuleId {
    DIAGNOSIS, NO_COMPARABLE_PRIOR, NEW_DMT, REBASELINE, RELAPSE, PML_SUSPICION, INTERCURRENT, PML_SCREENING,
    ROUTINE_FOLLOW_UP,
    /** Not a rule of the table: the order is not an MS order and passes through unchanged. */
    NOT_OFSEP
}
