package org.ofsep.mwl.core.mapping;

/**
 * One problem in a YAML configuration file (mapping.yaml, gateway.yaml), located for the admin who has to fix it;
 * {@link #toString} is the {@code file:line: field: message} form every command prints.
 *
 * @param file    the file as given to the loader (e.g. "config/mapping.yaml")
 * @param line    1-based line, 0 when unknown
 * @param field   path of the field, e.g. "stations[1].aeTitle"; empty for the whole document
 * @param message what is wrong, in plain words
 */
public record MappingError(String file, int line, String field, String message) {

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (field != null && !field.isEmpty()) {
            sb.append(field).append(": ");
        }
        return sb.append(message).toString();
    }
}
