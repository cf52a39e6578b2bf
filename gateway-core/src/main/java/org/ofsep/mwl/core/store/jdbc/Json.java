package org.ofsep.mwl.core.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.List;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ProtocolCode;

/** JSON columns (decision, protocol codes), written and read with one shared Jackson mapper. */
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
     * Decisions as stored. Many steps carry the very same decision text (same card, rule and reasons), and a
     * Decision is immutable, so parsed ones are shared: a console query of a few hundred items then parses a
     * handful of JSON documents instead of hundreds. Bounded: cleared when full.
     */
    private static final int DECISION_CACHE_MAX = 4096;
    private static final java.util.concurrent.ConcurrentHashMap<String, Decision> DECISIONS =
            new java.util.concurrent.ConcurrentHashMap<>();

    public static Decision decision(String json) {
        if (json == null || json.isEmpty()) {
            return null;
        }
        Decision cached = DECISIONS.get(json);
        if (cached != null) {
            return cached;
        }
        Decision d = read(json, Decision.class);
        if (DECISIONS.size() >= DECISION_CACHE_MAX) {
            DECISIONS.clear();
        }
        DECISIONS.put(json, d);
        return d;
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
