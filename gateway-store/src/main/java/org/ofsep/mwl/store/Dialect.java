package org.ofsep.mwl.store;

/** The two databases the gateway supports; the SQL is shared, only error codes differ. */
public enum Dialect {
    H2, POSTGRESQL;

    public static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported database URL (H2 or PostgreSQL): "
                + jdbcUrl.substring(0, Math.min(jdbcUrl.length(), 20)));
    }
}
