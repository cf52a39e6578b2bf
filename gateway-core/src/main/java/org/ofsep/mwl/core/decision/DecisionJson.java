package org.ofsep.mwl.core.decision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.Fact;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.Vendor;

/**
 * The JSON that {@code gateway decide} prints for a decision: stable field names and order, for people and
 * scripts alike.
 */
public final class DecisionJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DecisionJson() {
    }

    /** The decision as a JSON tree. */
    public static ObjectNode toTree(Decision d) {
        ObjectNode o = JSON.createObjectNode();
        o.put("ofsep", d.ofsep());
        if (d.examCard() == null) {
            o.putNull("examCard");
        } else {
            o.put("examCard", d.examCard().name());
        }
        o.put("contrast", d.contrast());
        o.put("contrastOptional", d.contrastOptional());
        o.put("spine", d.spine());
        o.put("spineDue", d.spineDue());
        o.put("rule", d.rule().name());
        strings(o.putArray("reasons"), d.reasons());
        strings(o.putArray("alerts"), d.alerts());
        if (d.contrastDose() == null) {
            o.putNull("contrastDose");
        } else {
            ObjectNode dose = o.putObject("contrastDose");
            dose.put("agent", d.contrastDose().agent());
            dose.put("mmol", d.contrastDose().mmol());
            dose.put("ml", d.contrastDose().ml());
        }
        if (d.nextMriMonths() == null) {
            o.putNull("nextMriMonths");
        } else {
            o.put("nextMriMonths", d.nextMriMonths());
        }
        strings(o.putArray("optionalSequences"), d.optionalSequences());
        ObjectNode codes = o.putObject("protocolCodes");
        codes(codes.putArray("default"), d.defaultCodes());
        for (Vendor v : Vendor.values()) {
            codes(codes.putArray(v.name()), d.codesFor(v));
        }
        facts(o.putObject("facts"), d.facts());
        return o;
    }

    /** The decision as indented JSON text. */
    public static String render(Decision d) {
        try {
            return JSON.writeValueAsString(toTree(d));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a decision as JSON", e);
        }
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }

    /** Facts by name: {"treatment": {"value": ..., "source": "OBR-13", "text": "sous Ocrevus depuis mars 2022"}}. */
    static void facts(ObjectNode o, List<Fact> facts) {
        for (Fact f : facts) {
            ObjectNode n = o.putObject(f.name());
            n.put("value", f.value());
            n.put("source", f.source());
            if (f.text() == null) {
                n.putNull("text");
            } else {
                n.put("text", f.text());
            }
        }
    }

    private static void codes(ArrayNode a, List<ProtocolCode> codes) {
        for (ProtocolCode c : codes) {
            ObjectNode n = a.addObject();
            n.put("value", c.value());
            n.put("scheme", c.scheme());
            n.put("meaning", c.meaning());
        }
    }
}
