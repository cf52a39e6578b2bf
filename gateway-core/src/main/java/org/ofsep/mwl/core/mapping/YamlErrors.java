package org.ofsep.mwl.core.mapping;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A YAML file's reading error in the words of the file, for mapping.yaml ({@link MappingLoader}) and gateway.yaml
 * alike: the key as the file writes it ({@code http.sessionIdleMinutes}, {@code stations[1].aeTitle}) and what is
 * wrong, without Jackson's Java class names.
 */
public final class YamlErrors {
    private YamlErrors() {
    }

    /** The key an error is about, as the file writes it; empty when the error is about the whole document. */
    public static String field(JsonProcessingException e) {
        if (e instanceof JsonMappingException jme) {
            StringBuilder sb = new StringBuilder();
            for (JsonMappingException.Reference r : jme.getPath()) {
                if (r.getFieldName() != null) {
                    sb.append(sb.isEmpty() ? "" : ".").append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    sb.append('[').append(r.getIndex()).append(']');
                }
            }
            return sb.toString();
        }
        if (e.getProcessor() instanceof JsonParser p) {
            return pathOf(p.getParsingContext()); // a syntax error or a duplicate key: where the parser stood
        }
        return "";
    }

    /** What is wrong: an unknown key with the keys expected there (sorted), else Jackson's message without its source. */
    public static String message(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException upe) {
            String message = "unknown key '" + upe.getPropertyName() + "'";
            if (upe.getKnownPropertyIds() != null && !upe.getKnownPropertyIds().isEmpty()) {
                message += " (expected one of " + upe.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                        .toList() + ")";
            }
            return message;
        }
        String message = e.getOriginalMessage();
        if (message.startsWith("Cannot coerce empty String") || message.startsWith("Cannot map `null` into type")) {
            return "no value given (an empty value, or a ${NAME} whose variable is not set)";
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException ife && ife.getTargetType() != null
                && java.util.Set.of(int.class, Integer.class, long.class, Long.class).contains(ife.getTargetType())) {
            return "'" + ife.getValue() + "' is not a whole number";
        }
        int cut = message.indexOf("\n at [Source");
        return cut > 0 ? message.substring(0, cut) : message;
    }

    /**
     * A reading error located: the file, the line of the key it is about ({@code lines} knows where the key
     * itself stands, where Jackson may report the end of a buffered object), the key and what is wrong.
     */
    public static MappingError error(JsonProcessingException e, String file, YamlLines lines) {
        String field = field(e);
        JsonLocation loc = e.getLocation();
        Integer exact = field.isEmpty() || !(e instanceof JsonMappingException) ? null : lines.exact(field);
        int line = exact != null ? exact
                : loc != null && loc.getLineNr() > 0 ? loc.getLineNr() : lines.line(field);
        return new MappingError(file, line, field, message(e));
    }

    /** A parser position as a field path ("stations[1].aeTitle"). */
    static String pathOf(JsonStreamContext ctx) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                if (c.getCurrentIndex() >= 0) {
                    parts.push("[" + c.getCurrentIndex() + "]");
                }
            } else if (c.inObject() && c.getCurrentName() != null) {
                parts.push("." + c.getCurrentName());
            }
        }
        String s = String.join("", parts);
        return s.startsWith(".") ? s.substring(1) : s;
    }
}
