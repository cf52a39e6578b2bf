package org.ofsep.mwl.core.mapping;

import java.util.List;
import java.util.stream.Collectors;

/** A mapping file was refused; {@link #errors()} lists every problem found, each with file, line and field. */
public class MappingException extends RuntimeException {
    private final List<MappingError> errors;

    public MappingException(List<MappingError> errors) {
        super(describe(errors));
        this.errors = List.copyOf(errors);
    }

    public List<MappingError> errors() {
        return errors;
    }

    private static String describe(List<MappingError> errors) {
        return "invalid mapping (" + errors.size() + " error" + (errors.size() == 1 ? "" : "s") + "):\n  "
                + errors.stream().map(MappingError::toString).collect(Collectors.joining("\n  "));
    }
}
