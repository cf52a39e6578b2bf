package org.ofsep.mwl.core.decision.policy;

/** The other half of the package cycle of core.mapping.ArchCycleSample (test sources only). */
public final class ArchCycleSample {
    private ArchCycleSample() {
    }

    public static String mapping() {
        return org.ofsep.mwl.core.mapping.ArchCycleSample.name();
    }

    public static String name() {
        return "policy";
    }
}
