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
    private static final java.util.concurrent.ConcurrentHashMap<JsonText, Decision> DECISIONS =
            new java.util.concurrent.ConcurrentHashMap<>();

    public static Decision decision(String json) {
        if (json == null || json.isEmpty()) {
            return null;
        }
        JsonText key = new JsonText(json);
        Decision cached = DECISIONS.get(key);
        if (cached != null) {
            return cached;
        }
        Decision d = read(json, Decision.class);
        if (DECISIONS.size() >= DECISION_CACHE_MAX) {
            DECISIONS.clear();
        }
        DECISIONS.put(key, d);
        return d;
    }

    /**
     * A JSON text as a cache key. Every row read is a new String whose hash would be computed over its whole
     * length (a decision is 1 to 2 KB, read for every worklist item a query returns); this key hashes a sample of
     * about 64 characters and the length instead. Equality is still the whole text: a sample shared by two texts
     * only puts them in the same bucket.
     */
    static final class JsonText {
        private final String text;
        private final int hash;

        JsonText(String text) {
            this.text = text;
            int n = text.length();
            int h = n;
            int step = Math.max(1, n / 48);
            for (int i = 0; i < n; i += step) {
                h = 31 * h + text.charAt(i);
            }
            for (int i = Math.max(0, n - 16); i < n; i++) { // the end holds what often differs: codes, vendor map
                h = 31 * h + text.charAt(i);
            }
            this.hash = h;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof JsonText other && other.hash == hash && other.text.equals(text);
        }
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
