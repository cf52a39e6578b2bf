package org.ofsep.mwl.core.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mapping layout before the rule table (until 2026-12): rule thresholds under {@code rules.newDmt} etc.,
 * {@code contrastPolicy}, {@code contrast} and {@code nextMriMonths} as separate sections. Such a file is refused
 * with one error per old key, at its line, saying where the setting goes now; {@link #convert} rewrites it.
 */
public final class LegacyLayout {

    /** Old key path (a section or a key of it) to its place in the current layout. */
    private static final Map<String, String> MOVES = new LinkedHashMap<>();

    static {
        MOVES.put("rules.diagnosis", "rules.DIAGNOSIS");
        MOVES.put("rules.newDmt", "rules.NEW_DMT");
        MOVES.put("rules.rebaseline", "rules.REBASELINE");
        MOVES.put("rules.pmlSuspicion", "rules.PML_SUSPICION");
        MOVES.put("rules.pmlScreening", "rules.PML_SCREENING");
        MOVES.put("rules.spineIntervalYears", "policies.spine.intervalYears");
        MOVES.put("rules.minFieldStrengthTesla", "policies.fieldStrength.minimumTesla");
        MOVES.put("rules.egfrAlertBelow", "policies.safetyAlerts.egfrBelow");
        MOVES.put("contrast", "policies.dose");
    }

    private LegacyLayout() {
    }

    /** Whether this YAML tree uses the old layout. */
    public static boolean isLegacy(JsonNode root) {
        return !legacyKeys(root).isEmpty();
    }

    /** The old keys of the tree with the place each goes now, in file order. */
    static Map<String, String> legacyKeys(JsonNode root) {
        Map<String, String> out = new LinkedHashMap<>();
        if (root == null || !root.isObject()) {
            return out;
        }
        JsonNode rules = root.get("rules");
        if (rules != null && rules.isObject()) {
            for (Iterator<String> it = rules.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                String to = MOVES.get("rules." + k);
                if (to != null) {
                    out.put("rules." + k, to);
                }
            }
        }
        if (root.has("contrast")) {
            out.put("contrast", "policies.dose");
        }
        JsonNode policy = root.get("contrastPolicy");
        if (policy != null) {
            if (policy.isObject() && policy.size() > 0) {
                policy.fieldNames().forEachRemaining(k -> out.put("contrastPolicy." + k, "rules." + k + ".inject"));
            } else {
                out.put("contrastPolicy", "rules.<RULE>.inject");
            }
        }
        JsonNode next = root.get("nextMriMonths");
        if (next != null) {
            if (next.isObject() && next.size() > 0) {
                next.fieldNames().forEachRemaining(k -> out.put("nextMriMonths." + k, "PML_SCREENING".equals(k)
                        ? "rules.PML_SCREENING.intervalMonthsHighIndex/intervalMonthsOtherwise"
                        : "rules." + k + ".nextMriMonths"));
            } else {
                out.put("nextMriMonths", "rules.<RULE>.nextMriMonths");
            }
        }
        return out;
    }

    /** One error per old key, at its line: what to write instead. */
    static List<MappingError> errors(JsonNode root, MappingLoader.Locator at) {
        List<MappingError> errors = new ArrayList<>();
        legacyKeys(root).forEach((from, to) -> errors.add(at.error(from, "old mapping layout: write this setting"
                + " as " + to + " (each rule's settings are grouped under its id, the policies under policies;"
                + " see docs/mapping.md), or convert the file with: gateway upgrade-mapping --config DIR")));
        return errors;
    }

    /**
     * The same settings in the current layout. Sections that did not change keep their place and order; the rules
     * and policies take the place of the old {@code rules}. Comments are not carried (the tree has none).
     */
    public static ObjectNode convert(JsonNode root) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode out = f.objectNode();
        JsonNode oldRules = root.path("rules");
        JsonNode policy = root.path("contrastPolicy");
        JsonNode next = root.path("nextMriMonths");
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            var e = it.next();
            switch (e.getKey()) {
                case "rules" -> {
                    ObjectNode rules = out.putObject("rules");
                    rule(rules, "DIAGNOSIS", oldRules.path("diagnosis"), policy, next);
                    rule(rules, "NO_COMPARABLE_PRIOR", null, policy, next);
                    rule(rules, "NEW_DMT", oldRules.path("newDmt"), policy, next);
                    rule(rules, "REBASELINE", oldRules.path("rebaseline"), policy, next);
                    rule(rules, "RELAPSE", null, policy, next);
                    rule(rules, "PML_SUSPICION", oldRules.path("pmlSuspicion"), policy, next);
                    rule(rules, "INTERCURRENT", null, policy, next);
                    rule(rules, "PML_SCREENING", oldRules.path("pmlScreening"), policy, null);
                    rule(rules, "ROUTINE_FOLLOW_UP", null, policy, next);
                    // keys of the current layout already present are kept as they are
                    oldRules.fields().forEachRemaining(r -> {
                        if (!MOVES.containsKey("rules." + r.getKey()) && !rules.has(r.getKey())) {
                            rules.set(r.getKey(), r.getValue());
                        }
                    });
                    ObjectNode policies = out.putObject("policies");
                    if (oldRules.has("minFieldStrengthTesla")) {
                        policies.putObject("fieldStrength").set("minimumTesla", oldRules.get("minFieldStrengthTesla"));
                    }
                    if (oldRules.has("spineIntervalYears")) {
                        policies.putObject("spine").set("intervalYears", oldRules.get("spineIntervalYears"));
                    }
                    if (root.has("contrast")) {
                        policies.set("dose", root.get("contrast"));
                    }
                    if (oldRules.has("egfrAlertBelow")) {
                        policies.putObject("safetyAlerts").set("egfrBelow", oldRules.get("egfrAlertBelow"));
                    }
                    if (root.get("policies") instanceof ObjectNode current) {
                        current.fields().forEachRemaining(p -> {
                            if (!policies.has(p.getKey())) {
                                policies.set(p.getKey(), p.getValue());
                            }
                        });
                    }
                }
                case "contrastPolicy", "nextMriMonths", "contrast", "policies" -> {
                    // moved into rules and policies
                }
                default -> out.set(e.getKey(), e.getValue());
            }
        }
        if (!root.has("rules") && root.has("contrast")) {
            out.putObject("policies").set("dose", root.get("contrast"));
        }
        // every old-layout file predates GD_ALLERGY: a Gd allergy would be published with Gd and no radiologist
        // (README: a site with its own review.when must add it); the converted file asks for review of it
        if (out.path("review").path("when") instanceof com.fasterxml.jackson.databind.node.ArrayNode when) {
            boolean has = false;
            for (JsonNode w : when) {
                has |= GD_ALLERGY.equals(w.asText());
            }
            if (!has) {
                when.add(GD_ALLERGY);
            }
        }
        return out;
    }

    /** The review condition every old-layout file lacks ({@link #convert} adds it). */
    public static final String GD_ALLERGY = "GD_ALLERGY";

    private static void rule(ObjectNode rules, String id, JsonNode settings, JsonNode policy, JsonNode next) {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        if (policy != null && policy.has(id)) {
            r.set("inject", policy.get(id));
        }
        if (settings != null && settings.isObject()) {
            settings.fields().forEachRemaining(e -> r.set(e.getKey(), e.getValue()));
        }
        if (next != null && next.has(id)) {
            r.set("nextMriMonths", next.get(id));
        }
        if (!r.isEmpty()) {
            rules.set(id, r);
        }
    }
}
