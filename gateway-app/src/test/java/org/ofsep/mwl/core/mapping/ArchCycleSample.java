package org.ofsep.mwl.core.mapping;

/** Half of a package cycle made on purpose (test sources only): ArchitectureTest checks the cycle is reported. */
public final class ArchCycleSample {
    private ArchCycleSample() {
    }

    public static String policy() {
        return org.ofsep.mwl.core.decision.policy.ArchCycleSample.name();
    }

    public static String name() {
        return "mapping";
    }
}
