package org.ofsep.mwl.core.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.Vendor;
import org.ofsep.mwl.core.mapping.MappingDocument.CardName;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.order.Observation;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.ProcedureRequest;

/**
 * What one procedure of an order owes to the others: a brain and a spinal cord MRI ordered together (two OBR) are
 * one exam for the patient. Clinicians write the clinical information once, on the first: a procedure that states
 * none reads that of the order's first procedure that does (the spine OBR of a stable follow-up was decided as a
 * first MRI, with Gd), and the patient's structured observations (eGFR, weight, pregnancy...) sent under another
 * OBR are read by every procedure that lacks them. A spinal cord ordered as its own procedure is not added to the
 * brain's too.
 */
final class OrderProcedures {

    private OrderProcedures() {
    }

    /** The procedure as the decision reads it, and the procedure whose clinical information it borrowed (or null). */
    record View(ProcedureRequest procedure, ProcedureRequest lender) {
    }

    /**
     * The procedure as the decision reads it, for a brain or spine procedure the mapping lists (others as they are).
     * One that states clinical information (OBR-13, OBR-31 or a text OBX) reads, after its own, the other listed
     * procedures' OBR-13 and OBR-31 (as comments) and their structured observations whose code it lacks; one that
     * states none reads the reason, clinical information, comments and observations of the order's first listed
     * procedure that does (its own observations first: an OBX of its own is never replaced), named as the lender.
     */
    static View view(MappingSnapshot m, OrderMessage order, ProcedureRequest procedure) {
        if (order == null || order.procedures().size() < 2) {
            return new View(procedure, null);
        }
        if (!listed(m, procedure)) {
            // a knee MRI beside a brain MRI borrows nothing: only the brain and spinal cord procedures the mapping
            // lists are one exam (it became "OFSEP FULL + MOELLE" with the brain's "suspicion de SEP")
            return new View(procedure, null);
        }
        if (states(procedure)) {
            // its own clinical text, but the patient's structured observations (eGFR, weight, pregnancy, JCV...)
            // sent under another OBR are the patient's too (a spine step with Gd had no renal alert for an eGFR of
            // 24 sent under the brain's OBR), and so is the other procedures' clinical text, read after its own as
            // comments (a spine OBR with only "Suivi SEP - moelle" in OBR-31 was decided as a first MRI, with Gd)
            ProcedureRequest with = withPatientObservations(m, order, procedure);
            List<String> comments = new ArrayList<>(with.comments());
            for (ProcedureRequest other : order.procedures()) {
                if (other == procedure || !listed(m, other)) {
                    continue;
                }
                for (String t : new String[] {other.clinicalInfo(), other.reason()}) {
                    if (!blank(t) && !t.equals(procedure.clinicalInfo()) && !t.equals(procedure.reason())
                            && !comments.contains(t)) {
                        comments.add(t);
                    }
                }
            }
            if (comments.size() == with.comments().size()) {
                return new View(with, null);
            }
            return new View(copy(with, with.reason(), with.clinicalInfo(), with.observations(), comments), null);
        }
        for (ProcedureRequest other : order.procedures()) {
            if (other == procedure || !states(other) || !listed(m, other)) {
                continue;
            }
            List<Observation> observations = new ArrayList<>(procedure.observations());
            for (Observation o : other.observations()) {
                if (o != null && observations.stream().noneMatch(mine -> mine != null && same(mine, o))) {
                    observations.add(o);
                }
            }
            List<String> comments = new ArrayList<>(procedure.comments());
            other.comments().stream().filter(c -> !comments.contains(c)).forEach(comments::add);
            return new View(copy(procedure, other.reason(), other.clinicalInfo(), observations, comments), other);
        }
        return new View(procedure, null);
    }

    /**
     * {@code procedure} with the structured observations (not text) of the order's other procedures whose code it
     * does not have itself.
     */
    static ProcedureRequest withPatientObservations(MappingSnapshot m, OrderMessage order, ProcedureRequest procedure) {
        List<Observation> observations = new ArrayList<>(procedure.observations());
        for (ProcedureRequest other : order.procedures()) {
            if (other == procedure || !listed(m, other)) {
                continue;
            }
            for (Observation o : other.observations()) {
                if (o != null && !text(o) && observations.stream().noneMatch(mine -> mine != null && same(mine, o))) {
                    observations.add(o);
                }
            }
        }
        if (observations.size() == procedure.observations().size()) {
            return procedure;
        }
        return copy(procedure, procedure.reason(), procedure.clinicalInfo(), observations, procedure.comments());
    }

    /** The reason line that says whose clinical information was read. */
    static String borrowed(ProcedureRequest lender) {
        ProtocolCode code = lender.procedureCode();
        return "This procedure states no clinical information of its own: that of the order's procedure "
                + (code == null ? "" : code.value() + (code.meaning() == null ? "" : " (" + code.meaning() + ")"))
                + " is read.";
    }

    /**
     * Whether another procedure of the order images the spinal cord, while {@code procedure} images the brain alone.
     */
    static boolean spineOrderedApart(MappingSnapshot m, OrderMessage order, ProcedureRequest procedure) {
        if (order == null || order.procedures().size() < 2 || m.region(procedure.procedureCode()).spine()) {
            return false;
        }
        return order.procedures().stream().anyMatch(p -> p != procedure && p.procedureCode() != null
                && m.region(p.procedureCode()).spine());
    }

    /** {@code d} without the spinal cord, which the order's own spine procedure images (one injection for both). */
    static Decision withoutSpine(MappingSnapshot m, Decision d) {
        if (!d.spine()) {
            if (!d.spineDue()) {
                return d;
            }
            // the advice to image the spine, when the order images it in its own procedure: said of the brain step
            // of a brain + spine order, it told the technologist to add what the next step does
            List<String> reasons = new ArrayList<>(d.reasons());
            reasons.removeIf(r -> r.startsWith(SPINE_ADVICE));
            reasons.add("The spinal cord is imaged by the order's own spine procedure.");
            return new Decision(d.ofsep(), d.examCard(), d.contrast(), d.contrastOptional(), false, false, d.rule(),
                    reasons, d.alerts(), d.contrastDose(), d.nextMriMonths(), d.optionalSequences(), d.defaultCodes(),
                    d.vendorCodes(), d.facts());
        }
        List<ProtocolCode> spineCodes = new ArrayList<>();
        spineCodes.add(m.defaultCode(CardName.SPINE, d.contrast()));
        m.vendorCodes(CardName.SPINE, d.contrast()).forEach((v, c) -> spineCodes.add(c));
        List<ProtocolCode> defaults = d.defaultCodes().stream().filter(c -> !spineCodes.contains(c)).toList();
        Map<Vendor, List<ProtocolCode>> vendors = new java.util.EnumMap<>(Vendor.class);
        d.vendorCodes().forEach((v, codes) -> vendors.put(v, codes.stream().filter(c -> !spineCodes.contains(c))
                .toList()));
        List<String> reasons = new ArrayList<>(d.reasons());
        reasons.removeIf(r -> r.startsWith("OFSEP 2020: at diagnosis the spinal cord is imaged with the same Gd")
                || r.startsWith(SPINE_ADVICE));
        reasons.add("The spinal cord is imaged by the order's own spine procedure, not added to this one.");
        return new Decision(d.ofsep(), d.examCard(), d.contrast(), d.contrastOptional(), false, false, d.rule(),
                reasons, d.alerts(), d.contrastDose(), d.nextMriMonths(), d.optionalSequences(), defaults,
                Map.copyOf(vendors), d.facts());
    }

    /** The spine policy's advice ({@code SpinePolicy}): "image the entire spine every N years at least; ...". */
    private static final String SPINE_ADVICE = "OFSEP 2020: image the entire spine every";

    /** A brain or spinal cord procedure the mapping lists (procedureRegions.codes, msOrders.procedureCodes). */
    private static boolean listed(MappingSnapshot m, ProcedureRequest p) {
        return m.listsRegionOf(p.procedureCode()) || m.isMsProcedureCode(p.procedureCode());
    }

    /** {@code p} with this clinical information, these observations and these comments. */
    private static ProcedureRequest copy(ProcedureRequest p, String reason, String clinicalInfo,
                                         List<Observation> observations, List<String> comments) {
        return new ProcedureRequest(p.accessionNumber(), p.requestedProcedureId(), p.procedureCode(),
                p.scheduledStart(), p.modality(), reason, clinicalInfo, p.studyInstanceUid(), p.spsId(),
                p.stationAeTitle(), p.fields(), observations, comments, p.priority());
    }

    private static boolean states(ProcedureRequest p) {
        if (!blank(p.reason()) || !blank(p.clinicalInfo())) {
            return true;
        }
        return p.observations().stream().anyMatch(o -> o != null && o.value() != null && !o.value().isBlank()
                && text(o));
    }

    private static boolean text(Observation o) {
        return o.valueType() != null && List.of("TX", "FT", "ST").contains(o.valueType().trim().toUpperCase(Locale.ROOT));
    }

    private static boolean same(Observation a, Observation b) {
        return a.code() != null && b.code() != null && a.code().trim().equalsIgnoreCase(b.code().trim())
                && (a.system() == null ? "" : a.system().trim()).equalsIgnoreCase(b.system() == null ? ""
                : b.system().trim());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
