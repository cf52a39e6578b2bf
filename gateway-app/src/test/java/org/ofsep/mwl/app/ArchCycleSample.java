package org.ofsep.mwl.app;

/**
 * Half of a package cycle made on purpose (test sources only): the root package and {@code app.priors} needing
 * each other, as they did through GatewayConfig. ArchitectureTest checks the cycle is reported.
 */
public final class ArchCycleSample {
    private ArchCycleSample() {
    }

    public static String priors() {
        return org.ofsep.mwl.app.priors.ArchCycleSample.name();
    }

    public static String name() {
        return "app";
    }
}
