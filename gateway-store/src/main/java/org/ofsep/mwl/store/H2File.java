package org.ofsep.mwl.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * The H2 file store (MVStore) behind an embedded H2 data source, followed when H2 opens it again: after H2 closed
 * the database itself (a write failed: a full disk, an I/O error), the gateway's recovery opens it again with new
 * connections ({@code Database.recover}) as a new store. Used by the file's maintenance ({@link H2Compaction}) and
 * its sync to the disk ({@link H2Sync}).
 */
final class H2File {

    /** Where a store that H2 closed is opened again; null for a fixed store (tests). */
    private final DataSource dataSource;
    private volatile MVStore store;

    private H2File(MVStore store, DataSource dataSource) {
        this.store = store;
        this.dataSource = dataSource;
    }

    /** The file behind {@code ds}, followed across reopens; empty when it is not an embedded H2 file. */
    static Optional<H2File> of(DataSource ds) {
        return fileStore(ds).map(s -> new H2File(s, ds));
    }

    /** Always {@code store}, never another (tests). */
    static H2File fixed(MVStore store) {
        return new H2File(store, null);
    }

    /** The H2 file store behind an embedded H2 data source, or empty (H2 over TCP, PostgreSQL, in-memory). */
    static Optional<MVStore> fileStore(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            if (!c.isWrapperFor(JdbcConnection.class)) {
                return Optional.empty();
            }
            Session session = c.unwrap(JdbcConnection.class).getSession();
            if (!(session instanceof SessionLocal local) || local.getDatabase().getStore() == null) {
                return Optional.empty();
            }
            MVStore store = local.getDatabase().getStore().getMvStore();
            return store.getFileStore() == null ? Optional.empty() : Optional.of(store);
        } catch (SQLException e) {
            throw new StoreException("cannot reach the H2 file store: " + e.getMessage(), e);
        }
    }

    /** The file of the embedded H2 database behind {@code ds} ({@code .mv.db}), or empty. */
    static Optional<java.nio.file.Path> path(DataSource ds) {
        try {
            // H2 may name the file with a file system prefix ("nio:/data/gateway.mv.db"): the path is after it
            return fileStore(ds).map(s -> s.getFileStore().getFileName()).map(n -> n.matches("^[A-Za-z]{2,}:.*")
                    ? n.substring(n.indexOf(':') + 1) : n).map(n -> java.nio.file.Path.of(n).toAbsolutePath());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The open store, or null while there is none (H2 closed it and it is not open again yet). */
    MVStore current() {
        MVStore s = store;
        if (s != null && !s.isClosed()) {
            return s;
        }
        if (dataSource == null) {
            return null;
        }
        try {
            s = fileStore(dataSource).orElse(null);
        } catch (RuntimeException e) {
            return null; // still down: the recovery reports it, the next call looks again
        }
        store = s;
        return s == null || s.isClosed() ? null : s;
    }
}
