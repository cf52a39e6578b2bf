package org.ofsep.mwl.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.ofsep.mwl.core.mapping.MappingError;
import org.ofsep.mwl.core.mapping.MappingException;
import org.ofsep.mwl.core.mapping.MappingLoader;
import picocli.CommandLine.Command;

/**
 * Rewrites a mapping file of the old layout (rule settings spread over rules, contrastPolicy, contrast and
 * nextMriMonths) in the rule-table layout. The old file is kept beside it as {@code mapping.yaml.old}; the new one
 * is checked before it replaces the old one.
 */
@Command(name = "upgrade-mapping", mixinStandardHelpOptions = true,
        description = "Rewrite a mapping file of the old layout in the rule-table layout (keeps the old file as"
                + " <name>.old; comments are not carried over).")
final class UpgradeMappingCommand extends GatewayCli.Base {

    @Override
    public Integer call() throws IOException {
        GatewayConfig config;
        try {
            config = GatewayConfig.load(dirs.config());
        } catch (Exception e) {
            System.err.println(e.getMessage());
            return 1;
        }
        Path file = config.mappingFile(dirs.config());
        if (!Files.isRegularFile(file)) {
            System.err.println(file + ": mapping file not found (gateway.yaml: mapping)");
            return 1;
        }
        String upgraded;
        try {
            upgraded = MappingLoader.upgrade(Files.readAllBytes(file));
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
        Path old = file.resolveSibling(file.getFileName() + ".old");
        Files.copy(file, old, StandardCopyOption.REPLACE_EXISTING);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, upgraded);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println(file + " rewritten in the rule-table layout; the old file is " + old);
        if (!errors.isEmpty()) {
            errors.forEach(System.err::println);
            System.err.println(errors.size() + " error(s) remain in the converted file: fix them before starting");
            return 1;
        }
        return 0;
    }
}
