package org.ofsep.mwl.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.core.review.AuditEvent;

/** The running gateway's embedded store, served to a CLI command over H2's TCP server ({@link StoreServer}). */
class StoreServerTest {

    @TempDir
    Path tmp;

    /**
     * A command's close ends its own connections only. It used to run SHUTDOWN over TCP as on an embedded file,
     * which closed the gateway's database under it: every connection of the gateway's pool, an order's transaction
     * among them, failed until the pool opened the file again.
     */
    @Test
    void aCommandThatEndsLeavesTheGatewaysDatabaseAndItsConnectionsOpen() throws Exception {
        DatabaseSettings settings = DatabaseSettings.h2(tmp);
        try (Database gateway = Database.open(settings); StoreServer server = StoreServer.start(settings, tmp)) {
            MVStore before = H2File.fileStore(gateway.dataSource()).orElseThrow();
            // the gateway is in the middle of something: a transaction open on one of its connections
            try (Connection busy = gateway.dataSource().getConnection()) {
                busy.setAutoCommit(false);
                AuditTable.insert(busy, AuditEvent.of(Instant.now(), "gateway", null, "TEST", "in flight"));

                // a command beside it: opens the served store, reads and writes, ends
                DatabaseSettings command = StoreServer.client(tmp, 2).orElseThrow();
                try (Database cli = Database.open(command)) {
                    new AuditTable(cli).record(AuditEvent.of(Instant.now(), "cli:test", null, "TEST", "from the CLI"));
                }

                busy.commit();
                assertThat(busy.isValid(1)).isTrue();
            }
            MVStore after = H2File.fileStore(gateway.dataSource()).orElseThrow();
            assertThat(after).as("the same store, never closed and opened again").isSameAs(before);
            assertThat(after.isClosed()).isFalse();
            long rows = gateway.read(c -> {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM audit_event WHERE action = 'TEST'")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(rows).as("the command's row and the gateway's transaction").isEqualTo(2);
        }
    }

    /**
     * A data directory deleted and served again by a second gateway under a running one: the stop of the first
     * deleted the second's gateway.store, and every command then failed (found by an independent review). A stop
     * deletes only the file it wrote.
     */
    @Test
    void aStopDeletesOnlyItsOwnFile(@TempDir Path dir) throws Exception {
        DatabaseSettings settings = DatabaseSettings.h2(dir.resolve("data"));
        try (Database gateway = Database.open(settings)) {
            StoreServer server = StoreServer.start(settings, dir);
            java.nio.file.Files.writeString(dir.resolve("gateway.store"), "port=1\nkey=another\n");
            server.close();
            assertThat(dir.resolve("gateway.store")).hasContent("port=1\nkey=another");
            StoreServer again = StoreServer.start(settings, dir);
            again.close();
            assertThat(dir.resolve("gateway.store")).doesNotExist();
        }
    }
}
