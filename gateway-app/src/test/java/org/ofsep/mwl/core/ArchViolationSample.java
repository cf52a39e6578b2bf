package org.ofsep.mwl.core;

import java.sql.Connection;

/** A core class that breaks the rule on purpose (test sources only): ArchitectureTest checks it is reported. */
public final class ArchViolationSample {
    private ArchViolationSample() {
    }

    static boolean usesJdbc(Connection c) throws java.sql.SQLException {
        return c.isClosed();
    }
}
