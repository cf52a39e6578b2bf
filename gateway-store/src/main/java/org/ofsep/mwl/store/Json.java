package org.ofsep.mwl.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.List;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ProtocolCode;

/** JSON columns (performed protocol codes) and exports, written and read with one shared Jackson mapper. */
public final class Json {

    /** Shared, thread-safe once configured. Dates as ISO strings, unknown fields ignored (schema evolution). */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final TypeReference<List<ProtocolCode>> CODES = new TypeReference<>() { };

    private Json() {
    }

    public static String write(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * A decision written with {@link #write} (the review's copy of the rules' decision, V7 {@code item_review});
     * the worklist's own decisions are in typed columns ({@link DecisionColumns}).
     */
    public static Decision decision(String json) {
        return read(json, Decision.class);
    }

    /** What a queued status message names besides its keys (V16 {@code outbound_event.details_json}), or null. */
    public static org.ofsep.mwl.core.store.StatusEvent.Details details(String json) {
        return read(json, org.ofsep.mwl.core.store.StatusEvent.Details.class);
    }

    public static List<ProtocolCode> codes(String json) {
        if (json == null || json.isEmpty()) {
            return List.of();
        }
        try {
            return MAPPER.readValue(json, CODES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored protocol codes are not valid JSON", e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        if (json == null || json.isEmpty()) {
            return null;
        }
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " is not valid JSON", e);
        }
    }
}
