package org.ofsep.mwl.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.ofsep.mwl.core.mapping.MappingError;
import org.ofsep.mwl.core.mapping.MappingException;
import org.ofsep.mwl.core.mapping.MappingLoader;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.review.AuditEvent;
import org.ofsep.mwl.store.AuditTable;
import org.ofsep.mwl.store.Database;
import org.ofsep.mwl.store.DatabaseSettings;
import picocli.CommandLine.Command;

/**
 * Rewrites a mapping file of the old layout (rule settings spread over rules, contrastPolicy, contrast and
 * nextMriMonths) in the rule-table layout. The old file is kept beside it as {@code mapping.yaml.old}; the new one
 * is checked before it replaces the old one. The rewrite is recorded in the audit trail ({@code MAPPING_UPGRADED}),
 * and nothing is rewritten when the store that keeps it cannot be opened.
 */
@Command(name = "upgrade-mapping", mixinStandardHelpOptions = true,
        description = "Rewrite a mapping file of the old layout in the rule-table layout (keeps the old file as"
                + " <name>.old; comments are not carried over).")
final class UpgradeMappingCommand extends GatewayCli.Base {

    @Override
    public Integer call() throws IOException {
        GatewayConfig config = configOrExplain();
        if (config == null) {
            return 1;
        }
        Path file = config.mappingFile(dirs.config());
        if (!Files.isRegularFile(file)) {
            System.err.println(file + ": mapping file not found (gateway.yaml: mapping)");
            return 1;
        }
        byte[] before = Files.readAllBytes(file);
        String upgraded;
        try {
            upgraded = MappingLoader.upgrade(before);
        } catch (MappingException e) {
            System.err.println(file + ": " + e.getMessage());
            return 1;
        }
        if (upgraded == null) {
            System.out.println(file + " already has the current layout: nothing to do");
            return 0;
        }
        List<MappingError> errors;
        try {
            MappingLoader.parse(upgraded, file.toString());
            errors = List.of();
        } catch (MappingException e) {
            errors = e.errors();
        }
        // a person changes the mapping: the change goes into the audit trail (who, which file, the SHA-256 of
        // the file before and after, as sha256sum prints them), so the store must be reachable before the rewrite
        Path old = file.resolveSibling(file.getFileName() + ".old");
        DatabaseSettings settings = Gateway.commandDatabaseSettings(config, dirs.data(), 2);
        try (Database db = openStore(settings)) {
            if (db == null) {
                return 1;
            }
            byte[] after = upgraded.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            Files.copy(file, old, StandardCopyOption.REPLACE_EXISTING);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, after);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            System.out.println(file + " rewritten in the rule-table layout; the old file is " + old);
            String was = new String(before, java.nio.charset.StandardCharsets.UTF_8);
            if (!was.contains(org.ofsep.mwl.core.mapping.LegacyLayout.GD_ALLERGY)
                    && upgraded.contains(org.ofsep.mwl.core.mapping.LegacyLayout.GD_ALLERGY)) {
                System.out.println("review.when: GD_ALLERGY added (the old layout predates it): a Gd decision for a "
                        + "patient with a gadolinium allergy now waits for a radiologist; remove it only knowingly");
            }
            try {
                new AuditTable(db).record(AuditEvent.of(java.time.Instant.now(), UserCommand.cliActor(), null,
                        "MAPPING_UPGRADED", file + " rewritten in the rule-table layout (SHA-256 "
                                + MappingSnapshot.fileSha256(before) + " before, " + MappingSnapshot.fileSha256(after)
                                + " after; the old file kept as " + old.getFileName() + ")"));
            } catch (RuntimeException e) {
                System.err.println("the rewrite could not be written to the audit trail: " + e.getMessage());
                return 1;
            }
        }
        if (!errors.isEmpty()) {
            errors.forEach(System.err::println);
            System.err.println(errors.size() + " error(s) remain in the converted file: fix them before starting");
            return 1;
        }
        return 0;
    }

    /** The store of the audit trail, or null (and why, on standard error) when it cannot be opened. */
    private static Database openStore(DatabaseSettings settings) {
        try {
            return Database.open(settings);
        } catch (RuntimeException e) {
            System.err.println("the store that keeps the audit trail cannot be opened (" + settings.describe() + "): "
                    + e.getMessage() + "; the mapping file is left as it is");
            return null;
        }
    }
}
