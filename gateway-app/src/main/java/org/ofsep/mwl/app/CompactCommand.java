package org.ofsep.mwl.app;

import java.time.Clock;
import java.util.Locale;
import org.ofsep.mwl.core.review.AuditEvent;
import org.ofsep.mwl.store.AuditTable;
import org.ofsep.mwl.store.Database;
import org.ofsep.mwl.store.DatabaseSettings;
import org.ofsep.mwl.store.H2FileRewrite;
import picocli.CommandLine.Command;

/**
 * {@code gateway compact}: gives a grown embedded store file its space back while the gateway is stopped
 * ({@link H2FileRewrite}). The data directory is held for the whole run (a gateway or a command started meanwhile
 * is refused with what holds it), the original file is kept beside the new one, and the rewrite goes into the
 * audit trail ({@code STORE_COMPACTED}).
 */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = "Rewrite the embedded H2 store into a new file with only its live data (stop the gateway"
                + " first); the old file is kept as gateway.mv.db.before-compact-<time>.")
final class CompactCommand extends GatewayCli.Base {

    @Override
    public Integer call() throws Exception {
        GatewayConfig config = configOrExplain();
        if (config == null) {
            return 1;
        }
        DatabaseSettings settings = Gateway.databaseSettings(config, dirs.data(), 2);
        if (!settings.embeddedH2()) {
            System.err.println("the store is " + settings.describe() + ", not the embedded H2 file: nothing to compact"
                    + " here (PostgreSQL gives space back itself, VACUUM)");
            return 1;
        }
        ServeLock lock;
        try {
            lock = ServeLock.acquireForTask(dirs.data(), "compact");
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage().replace(": stop it first, or give this one its own --data directory",
                    ": stop it first, the store is rewritten while no gateway serves it"));
            return 1;
        }
        try (lock) {
            H2FileRewrite.Result r;
            try {
                r = H2FileRewrite.rewrite(settings, Clock.systemUTC());
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return 1;
            } catch (H2FileRewrite.Mismatch e) {
                System.err.println(e.getMessage() + ": the store is left as it was");
                return 1;
            } catch (java.io.IOException | java.sql.SQLException | RuntimeException e) {
                // a full disk, an unreadable file: the copy is removed, the store file is only moved once the copy
                // is checked (and moved back if the copy cannot take its place)
                System.err.println("the store could not be compacted: " + e.getMessage() + "; "
                        + (java.nio.file.Files.exists(java.nio.file.Path.of(settings.h2FilePath() + ".mv.db"))
                        ? "the store is left as it was" : "look for gateway.mv.db.before-compact-* in the data directory"));
                return 1;
            }
            long rows = r.rowsByTable().values().stream().mapToLong(Long::longValue).sum();
            String summary = String.format(Locale.ROOT, "%s rewritten: %s before, %s after; %d rows in %d tables"
                            + " checked against the original, kept as %s", r.file(), size(r.bytesBefore()),
                    size(r.bytesAfter()), rows, r.rowsByTable().size(), r.original().getFileName());
            System.out.println(summary);
            System.out.println("Start the gateway; once it runs as it should, delete " + r.original());
            try (Database db = Database.open(settings)) {
                new AuditTable(db).record(AuditEvent.of(java.time.Instant.now(), UserCommand.cliActor(), null,
                        "STORE_COMPACTED", summary));
            } catch (RuntimeException e) {
                System.err.println("the rewrite could not be written to the audit trail: " + e.getMessage());
                return 1;
            }
            return 0;
        }
    }

    private static String size(long bytes) {
        return bytes >= 10L << 20 ? String.format(Locale.ROOT, "%.0f MB", bytes / 1048576.0)
                : String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }
}
