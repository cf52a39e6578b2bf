package org.ofsep.mwl.app;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.ofsep.mwl.core.domain.ContrastDose;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.domain.Vendor;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.mapping.Mapping;
import org.ofsep.mwl.core.store.WorklistQuery;
import org.ofsep.mwl.core.store.WorklistStore;

/**
 * The read-only JSON view of one day's worklist (GET /api/worklist), used by the board: each item with its
 * decision, the reasons and the protocol code every vendor's console receives. Patient identity is masked unless
 * {@code reveal} is asked.
 */
public final class WorklistView {
    private final WorklistStore store;
    private final Supplier<Mapping> mapping;

    public WorklistView(WorklistStore store, Supplier<Mapping> mapping) {
        this.store = store;
        this.mapping = mapping;
    }

    public Map<String, Object> day(LocalDate date, String stationAeTitle, boolean reveal) {
        Mapping current = mapping.get();
        WorklistQuery query = new WorklistQuery(
                stationAeTitle == null || stationAeTitle.isBlank() ? null : List.of(stationAeTitle), null,
                date.atStartOfDay(), date.atTime(23, 59, 59), null, null, null, false, null, null, null, null,
                Set.of(SpsStatus.SCHEDULED, SpsStatus.STARTED, SpsStatus.COMPLETED, SpsStatus.DISCONTINUED), 0);
        List<Map<String, Object>> items = new ArrayList<>();
        store.query(query, item -> items.add(item(item, reveal)));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("date", date.toString());
        json.put("generatedAt", Instant.now().toString());
        json.put("stations", current.stations().stream().map(WorklistView::station).toList());
        json.put("items", items);
        return json;
    }

    static Map<String, Object> station(Station s) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("aeTitle", s.aeTitle());
        json.put("name", s.name());
        json.put("vendor", s.vendor().name());
        json.put("model", s.model());
        json.put("fieldStrengthTesla", s.fieldStrengthTesla());
        return json;
    }

    static Map<String, Object> item(WorklistItem item, boolean reveal) {
        Decision d = item.decision();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("spsId", item.spsId());
        json.put("scheduledStart", item.scheduledStart() == null ? null : item.scheduledStart().toString());
        json.put("stationAeTitle", item.stationAeTitle());
        json.put("stationName", item.stationName());
        String name = item.patient() == null ? null : item.patient().name();
        String id = item.patient() == null ? null : item.patient().id();
        json.put("patientInitials", Masking.initials(name));
        json.put("patientId", reveal ? id : Masking.patientId(id));
        if (reveal) {
            json.put("patientName", name);
        }
        json.put("accessionNumber", item.accessionNumber());
        json.put("status", item.status() == null ? null : item.status().name());
        // Requested Procedure Priority (0040,1003) as the consoles receive it (STAT, HIGH, ROUTINE), null when none
        json.put("priority", item.priority() == null ? null : item.priority().name());
        json.put("procedure", item.requestedProcedureDescription());
        json.put("ofsep", d != null && d.ofsep());
        json.put("examCard", d == null || d.examCard() == null ? null : d.examCard().name());
        json.put("contrast", d != null && d.contrast());
        json.put("contrastOptional", d != null && d.contrastOptional());
        json.put("contrastAgent", item.requestedContrastAgent());
        ContrastDose dose = d == null ? null : d.contrastDose();
        if (dose == null) {
            json.put("contrastDose", null);
        } else {
            Map<String, Object> doseJson = new LinkedHashMap<>();
            doseJson.put("agent", dose.agent());
            doseJson.put("mmol", dose.mmol());
            doseJson.put("ml", dose.ml());
            json.put("contrastDose", doseJson);
        }
        json.put("spine", d != null && d.spine());
        json.put("spineDue", d != null && d.spineDue());
        json.put("rule", d == null ? null : d.rule().name());
        json.put("reasons", d == null ? List.of() : d.reasons());
        // "Priors checked at ... (PACS ...): ..." or "Priors not checked: ...": what the PACS lookup found
        json.put("priors", d == null ? null : d.reasons().stream()
                .filter(r -> r.startsWith("Priors checked at ") || r.startsWith("Priors not checked: "))
                .findFirst().orElse(null));
        json.put("alerts", d == null ? List.of() : d.alerts());
        // the clinical facts read from the order, each with its HL7 field and the words it came from
        json.put("facts", d == null ? List.of() : d.facts().stream().map(f -> {
            Map<String, Object> fact = new LinkedHashMap<>();
            fact.put("name", f.name());
            fact.put("label", org.ofsep.mwl.core.domain.Fact.label(f.name()));
            fact.put("value", f.value());
            fact.put("source", f.source());
            fact.put("text", f.text());
            return fact;
        }).toList());
        json.put("optionalSequences", d == null ? List.of() : d.optionalSequences());
        json.put("nextMriMonths", d == null ? null : d.nextMriMonths());
        json.put("spsDescription", item.spsDescription());
        Map<String, Object> codes = new LinkedHashMap<>();
        for (Vendor vendor : Vendor.values()) {
            codes.put(vendor.name(), d == null ? List.of() : d.codesFor(vendor).stream().map(WorklistView::code).toList());
        }
        json.put("codes", codes);
        return json;
    }

    static Map<String, Object> code(ProtocolCode code) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("value", code.value());
        json.put("scheme", code.scheme());
        json.put("meaning", code.meaning());
        return json;
    }
}
