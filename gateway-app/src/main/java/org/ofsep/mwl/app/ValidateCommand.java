package org.ofsep.mwl.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ofsep.mwl.core.mapping.MappingError;
import org.ofsep.mwl.core.mapping.MappingHolder;
import picocli.CommandLine.Command;

/** Checks gateway.yaml and the mapping without starting anything; exit code 1 when anything is wrong. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check gateway.yaml and the mapping file; print every error with file, line and field.")
final class ValidateCommand extends GatewayCli.Base {

    @Override
    public Integer call() {
        GatewayConfig config = configOrExplain();
        if (config == null) {
            return 1;
        }
        try {
            PriorSources.fromConfig(config, dirs.config());
        } catch (Exception e) {
            System.err.println(e.getMessage());
            return 1;
        }
        Path mappingFile = config.mappingFile(dirs.config());
        if (!Files.isRegularFile(mappingFile)) {
            System.err.println(mappingFile + ": mapping file not found (gateway.yaml: mapping)");
            return 1;
        }
        List<MappingError> errors = MappingHolder.validate(mappingFile);
        if (!errors.isEmpty()) {
            errors.forEach(error -> System.err.println(error));
            System.err.println(errors.size() + " error(s): configuration refused");
            return 1;
        }
        System.out.println("OK: " + dirs.config().resolve("gateway.yaml") + " and " + mappingFile + " are valid");
        return 0;
    }
}
