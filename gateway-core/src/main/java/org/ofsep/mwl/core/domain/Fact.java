package org.ofsep.mwl.core.domain;

/**
 * One clinical fact a decision was based on, as the rules read it (e.g. DMT = natalizumab, EGFR = 25), kept with
 * the decision so that a reviewer can see what the gateway knew.
 *
 * @param kind  which fact
 * @param value its value as the rules read it (ISO dates, plain decimals, Y/N as true/false)
 */
public record Fact(Kind kind, String value) {

    /** The facts the OFSEP rules read. */
    public enum Kind {
        SITUATION, DMT, DMT_START, PRIOR_MRI, PRIOR_MRI_3D_FLAIR, LAST_SPINE_MRI, JCV_POSITIVE, JCV_INDEX, EGFR,
        PREGNANT, WEIGHT_KG
    }

    public Fact {
        java.util.Objects.requireNonNull(kind, "kind");
        java.util.Objects.requireNonNull(value, "value");
    }

    /** "DMT=natalizumab": how a fact is listed in text. */
    @Override
    public String toString() {
        return kind + "=" + value;
    }
}
