package org.ofsep.mwl.app.priors;

/** The other half of the planted cycle of {@code org.ofsep.mwl.app.ArchCycleSample}. */
public final class ArchCycleSample {
    private ArchCycleSample() {
    }

    public static String config() {
        return org.ofsep.mwl.app.ArchCycleSample.name();
    }

    public static String name() {
        return "priors";
    }
}
