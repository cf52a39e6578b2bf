package org.ofsep.mwl.hl7;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.RequestedPriority;
import org.ofsep.mwl.core.order.Observation;
import org.ofsep.mwl.core.order.Allergy;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.ProcedureRequest;
import org.ofsep.mwl.hl7.Hl7Segment.Hl7Field;

/**
 * Turns an order message (ORM^O01 in 2.3.1/2.4/2.5, OMI^O23 in 2.5.1, OMG^O19) into the core's {@link OrderMessage}.
 *
 * <p>The message is read as the sequence of its segments: an ORC opens an order group, a TQ1 gives that group's
 * timing, an OBR opens a requested procedure, and the OBX, ZDS, DG1 and IPC segments that follow belong to that
 * OBR. In OMI^O23 each IPC is one scheduled procedure step (IHE SWF.b), so an OBR with two IPC gives two
 * {@link ProcedureRequest}s; in ORM each OBR gives one. Field positions follow IHE Radiology TF-2 (RAD-4/RAD-13):
 * OBR-18 accession, OBR-19 requested procedure ID, OBR-20 scheduled procedure step ID, OBR-24 modality, ZDS-1
 * Study Instance UID.
 */
public final class OrderParser {

    /** OBX-2 value types of a date: their value is never read as a number (20230301 is a day, not a count). */
    private static final Set<String> DATE_TYPES = Set.of("DT", "TS", "DTM", "DR");

    /** Segments whose fields are offered to the station rules as "SEG-n" / "SEG-n.c". */
    private static final Set<String> RULE_SEGMENTS = Set.of("MSH", "PV1", "PV2", "ORC", "TQ1", "OBR", "IPC");

    private final java.time.ZoneId siteZone;

    /** @param siteZone the site's time zone: scheduled times sent with an offset are converted to it */
    public OrderParser(java.time.ZoneId siteZone) {
        this.siteZone = siteZone == null ? java.time.ZoneId.systemDefault() : siteZone;
    }

    /** Times with an offset are converted to the system's time zone. */
    public OrderParser() {
        this(null);
    }

    /**
     * @throws Hl7MessageException AE naming the field when a required field is missing (PID-3, ORC-1, ORC-2 or
     *                             OBR-2, OBR-4) or malformed
     */
    public OrderMessage parse(Hl7Document doc) {
        MshHeader msh = doc.header();
        Hl7Segment pid = doc.first("PID").orElseThrow(() -> Hl7MessageException.missingField("PID-3",
                "patient identifier; the message has no PID segment"));
        Patient patient = PatientFields.fromPid(pid);

        Hl7Segment mshSegment = doc.first("MSH").orElseThrow();
        Hl7Segment pv1 = doc.first("PV1").orElse(null);
        Hl7Segment pv2 = doc.first("PV2").orElse(null);

        List<OrderGroup> groups = new ArrayList<>();
        List<Hl7Segment> sharedObx = new ArrayList<>();
        List<String> sharedNte = new ArrayList<>();
        List<String> diagnoses = new ArrayList<>();
        List<Allergy> allergies = new ArrayList<>();
        OrderGroup group = null;
        ProcedureGroup procedure = null;
        for (Hl7Segment seg : doc.segments()) {
            switch (seg.name()) {
                case "ORC" -> {
                    group = new OrderGroup(seg);
                    groups.add(group);
                    procedure = null;
                }
                case "TQ1" -> {
                    if (procedure != null) {
                        procedure.tq1 = seg;
                    } else if (group != null) {
                        group.tq1 = seg;
                    }
                }
                case "OBR" -> {
                    if (group == null) {
                        throw Hl7MessageException.missingField("ORC-1", "order control; the OBR has no ORC before it");
                    }
                    procedure = new ProcedureGroup(seg, group.tq1);
                    group.procedures.add(procedure);
                }
                case "OBX" -> {
                    if (procedure != null) {
                        procedure.obx.add(seg);
                    } else {
                        sharedObx.add(seg);
                    }
                }
                case "ZDS" -> {
                    if (procedure != null) {
                        procedure.zds = seg;
                    }
                }
                case "IPC" -> {
                    if (procedure != null) {
                        procedure.ipc.add(seg);
                    }
                }
                case "DG1" -> {
                    String code = seg.value(3, 1);
                    if (code != null && !diagnoses.contains(code)) {
                        diagnoses.add(code);
                    }
                }
                case "NTE" -> {
                    // comments: after an OBR (or its OBX) they are that procedure's, before any OBR the order's
                    String text = nteText(seg);
                    if (text != null) {
                        (procedure != null ? procedure.nte : sharedNte).add(text);
                    }
                }
                case "AL1" -> {
                    // the patient's allergies: the Gd allergy fact and Allergies (0010,2110), where a value longer
                    // than LO allows is cut visibly (WorklistTexts.allergies): an allergen written at length must
                    // not refuse the MRI order
                    Allergy a = new Allergy(seg.value(2, 1), seg.value(3, 1), seg.value(3, 2));
                    if (a.allergen() != null) {
                        allergies.add(a);
                    }
                }
                default -> {
                    // PD1, CTD, other Z-segments: not used by the worklist
                }
            }
        }
        if (groups.isEmpty()) {
            throw Hl7MessageException.missingField("ORC-1", "order control; the message has no ORC segment");
        }

        OrderGroup head = groups.get(0);
        String orderControl = head.orc.value(1);
        if (orderControl == null) {
            throw Hl7MessageException.missingField("ORC-1", "order control");
        }
        orderControl = orderControl.toUpperCase(Locale.ROOT);
        String orderStatus = head.orc.value(5);
        String placer = head.placer();
        if (placer == null) {
            throw Hl7MessageException.missingField("ORC-2", "placer order number (ORC-2 or OBR-2)");
        }
        String filler = head.filler();
        for (OrderGroup g : groups) {
            // One message is applied as one transaction with one action: its order groups must agree on it.
            if (!orderControl.equalsIgnoreCase(Objects.toString(g.orc.value(1), ""))
                    || !Objects.equals(orderStatus, g.orc.value(5))) {
                throw new Hl7MessageException("AE", Hl7MessageException.SEGMENT_SEQUENCE_ERROR, "ORC-1",
                        "all ORC segments of one message must have the same ORC-1/ORC-5; ORC #" + g.orc.sequence()
                                + " differs from the first");
            }
            if (!placer.equals(g.placer())) {
                throw new Hl7MessageException("AE", Hl7MessageException.SEGMENT_SEQUENCE_ERROR, "ORC-2",
                        "all ORC segments of one message must carry the same placer order number; ORC #"
                                + g.orc.sequence() + " differs from the first");
            }
        }

        List<Observation> shared = observations(sharedObx);
        List<ProcedureRequest> procedures = new ArrayList<>();
        String referring = null;
        for (OrderGroup g : groups) {
            for (ProcedureGroup p : g.procedures) {
                Hl7Segment obr = p.obr;
                ProtocolCode code = procedureCode(obr);
                List<Observation> obs = new ArrayList<>(shared);
                obs.addAll(observations(p.obx));
                List<String> comments = new ArrayList<>(sharedNte);
                comments.addAll(p.nte);
                if (referring == null) {
                    referring = PatientFields.personNameFromXcn(obr.field(16));
                }
                Map<String, String> common = new LinkedHashMap<>();
                ruleFields(common, mshSegment);
                ruleFields(common, pv1);
                ruleFields(common, pv2);
                ruleFields(common, g.orc);
                ruleFields(common, p.tq1);
                ruleFields(common, obr);
                if (msh.characterSet() != null) {
                    // the raw value, for station rules (the item's character set is typed: OrderMessage)
                    common.put("MSH-18", msh.characterSet());
                }
                LocalDateTime start = scheduledStart(p, g);
                RequestedPriority priority = OrderPriority.of(p.tq1, g.orc, obr);
                String reason = reason(obr);
                String clinicalInfo = obr.text(13);
                String modality = upper(obr.value(24));
                String studyUid = p.zds == null ? null : p.zds.value(1, 1);
                DicomLimits.code(code);
                DicomLimits.shortString(modality, "OBR-24", "Modality (0008,0060)");
                if (p.ipc.isEmpty()) {
                    DicomLimits.shortString(obr.value(18), "OBR-18", "Accession Number (0008,0050)");
                    DicomLimits.shortString(obr.value(19), "OBR-19", "Requested Procedure ID (0040,1001)");
                    DicomLimits.shortString(obr.value(20), "OBR-20", "Scheduled Procedure Step ID (0040,0009)");
                    procedures.add(new ProcedureRequest(obr.value(18), obr.value(19), code, start, modality, reason,
                            clinicalInfo, studyUid, obr.value(20), null, common, obs, comments, priority));
                } else {
                    for (Hl7Segment ipc : p.ipc) {
                        Map<String, String> fields = new LinkedHashMap<>(common);
                        ruleFields(fields, ipc);
                        String accession = firstNonNull(ipc.value(1, 1), obr.value(18));
                        String rpId = firstNonNull(ipc.value(2, 1), obr.value(19));
                        DicomLimits.shortString(accession, ipc.value(1, 1) != null ? "IPC-1" : "OBR-18",
                                "Accession Number (0008,0050)");
                        DicomLimits.shortString(rpId, ipc.value(2, 1) != null ? "IPC-2" : "OBR-19",
                                "Requested Procedure ID (0040,1001)");
                        DicomLimits.shortString(ipc.value(4, 1), "IPC-4", "Scheduled Procedure Step ID (0040,0009)");
                        DicomLimits.shortString(upper(ipc.value(5, 1)), "IPC-5", "Modality (0008,0060)");
                        DicomLimits.shortString(ipc.value(9), "IPC-9", "Scheduled Station AE Title (0040,0001)");
                        procedures.add(new ProcedureRequest(accession, rpId,
                                code, start,
                                firstNonNull(upper(ipc.value(5, 1)), modality),
                                reason, clinicalInfo,
                                firstNonNull(ipc.value(3, 1), studyUid),
                                ipc.value(4, 1),
                                ipc.value(9),
                                fields, obs, comments, priority));
                    }
                }
            }
        }
        boolean newOrChanged = orderControl.equals("NW") || orderControl.equals("XO");
        if (procedures.isEmpty() && newOrChanged) {
            throw Hl7MessageException.missingField("OBR-4",
                    "universal service identifier; a new or changed order needs an OBR segment");
        }
        if (referring == null) {
            referring = PatientFields.personNameFromXcn(head.orc.field(12));
        }
        if (newOrChanged && patient.name() == null) {
            // Patient's Name is type 1 in the worklist (PS3.4 Table K.6-1): never serve an item without it
            throw Hl7MessageException.missingField("PID-5", "patient name");
        }
        DicomLimits.personName(patient.name(), "PID-5", "Patient's Name (0010,0010)");
        DicomLimits.personName(referring, "ORC-12", "Referring Physician's Name (0008,0090)");
        return new OrderMessage(msh.controlId(), msh.sender(), orderControl, orderStatus, placer, filler, patient,
                diagnoses, referring, procedures, Hl7Charsets.itemCharacterSet(msh.characterSet()), allergies,
                writtenOn(head.orc, mshSegment));
    }

    /**
     * The day the order was written: ORC-9 (date/time of the transaction), else MSH-7 (date/time of the message), in
     * the site's time zone; null when neither is a date. Only the clinical text's relative dates ("il y a 5 mois")
     * are counted from it, so a value that is not a date is not an error: they are then counted from the exam, as
     * for an order without these fields.
     */
    private java.time.LocalDate writtenOn(Hl7Segment orc, Hl7Segment msh) {
        for (String[] f : new String[][] {{orc.value(9), "ORC-9"}, {msh.value(7), "MSH-7"}}) {
            try {
                LocalDateTime t = Hl7Dates.dateTime(f[0], f[1], siteZone);
                if (t != null) {
                    return t.toLocalDate();
                }
            } catch (Hl7MessageException e) {
                // not a date: the next source, else none
            }
        }
        return null;
    }

    private static ProtocolCode procedureCode(Hl7Segment obr) {
        Hl7Field f = obr.field(4);
        if (f != null && f.value(1) != null) {
            return new ProtocolCode(f.value(1), f.value(3), f.value(2));
        }
        if (f != null && f.value(4) != null) {
            // only the alternate identifier is given (e.g. a local code in OBR-4.4)
            return new ProtocolCode(f.value(4), f.value(6), f.value(5));
        }
        throw new Hl7MessageException("AE", Hl7MessageException.REQUIRED_FIELD_MISSING, "OBR-4",
                "required field OBR-4 (universal service identifier: the requested procedure code) is missing in OBR #"
                        + obr.sequence());
    }

    /** TQ1-7 (2.5+), else OBR-27.4, else ORC-7.4, else OBR-36 (scheduled date/time). */
    private LocalDateTime scheduledStart(ProcedureGroup p, OrderGroup g) {
        if (p.tq1 != null && p.tq1.value(7) != null) {
            return Hl7Dates.dateTime(p.tq1.value(7), "TQ1-7", siteZone);
        }
        if (p.obr.value(27, 4) != null) {
            return Hl7Dates.dateTime(p.obr.value(27, 4), "OBR-27.4", siteZone);
        }
        if (g.orc.value(7, 4) != null) {
            return Hl7Dates.dateTime(g.orc.value(7, 4), "ORC-7.4", siteZone);
        }
        return Hl7Dates.dateTime(p.obr.value(36), "OBR-36", siteZone);
    }

    /** OBR-31 (CE, may repeat): the text of each reason, or its code when there is no text. */
    private static String reason(Hl7Segment obr) {
        Set<String> parts = new LinkedHashSet<>();
        for (Hl7Field rep : obr.repetitions(31)) {
            String text = rep.value(2) != null ? rep.value(2) : rep.value(1);
            if (text != null) {
                parts.add(text);
            }
        }
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    /**
     * One Observation per OBX-5 repetition; the value is its first component (the code for CE/CWE), typed here
     * as a date ({@link Hl7Dates#observationDate}) and as a number ({@link Hl7Numbers#observationNumber}) when it
     * reads as one, whatever OBX-2 says (RIS send dates and numbers in ST too; a DT/TS/DTM value is never a number): the core
     * never parses HL7 values.
     */
    static List<Observation> observations(List<Hl7Segment> obxs) {
        List<Observation> out = new ArrayList<>();
        for (Hl7Segment obx : obxs) {
            Hl7Field id = obx.field(3);
            if (id == null) {
                continue;
            }
            String code = id.value(1) != null ? id.value(1) : id.value(4);
            String system = id.value(1) != null ? id.value(3) : id.value(6);
            if (code == null) {
                continue;
            }
            String type = upper(obx.value(2));
            String units = obx.value(6, 1);
            String label = id.value(1) != null ? id.value(2) : id.value(5);
            List<Hl7Field> values = obx.repetitions(5);
            if (values.isEmpty()) {
                out.add(new Observation(code, system, type, null, units));
            }
            for (Hl7Field v : values) {
                if ("SN".equals(type)) {
                    // structured numeric: comparator ^ number ^ separator ^ number ("^24", "<^30", ">=^90"); the first
                    // component alone is the comparator, or empty: an eGFR of 24 sent as SN was dropped silently
                    String value = structuredNumeric(v);
                    out.add(new Observation(code, system, type, value, units, null,
                            v.value(3) == null && v.value(4) == null ? Hl7Numbers.observationNumber(value) : null,
                            label));
                    continue;
                }
                String value = v.value(1);
                out.add(new Observation(code, system, type, value, units, Hl7Dates.observationDate(value),
                        type != null && DATE_TYPES.contains(type) ? null : Hl7Numbers.observationNumber(value), label));
            }
        }
        return out;
    }

    /**
     * An SN value (HL7 2.A.71) as the text a person reads: "24", "<30", ">=90", a range "10-20" or a ratio "1:128"
     * (the last two are no single number); null when empty.
     */
    static String structuredNumeric(Hl7Field v) {
        StringBuilder sb = new StringBuilder();
        for (int c = 1; c <= 4; c++) {
            String part = v.value(c);
            if (part != null) {
                sb.append(part.trim());
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    /** NTE-3 (FT, may repeat) as one text, repetitions on separate lines; null when empty. */
    static String nteText(Hl7Segment nte) {
        List<String> parts = new ArrayList<>();
        for (Hl7Field rep : nte.repetitions(3)) {
            String t = rep.text();
            if (t != null) {
                parts.add(t);
            }
        }
        return parts.isEmpty() ? null : String.join("\n", parts);
    }

    /** Every field of a segment as "SEG-n" (whole field text) and "SEG-n.c" (each component of a composite). */
    static void ruleFields(Map<String, String> fields, Hl7Segment seg) {
        if (seg == null || !RULE_SEGMENTS.contains(seg.name())) {
            return;
        }
        for (int n = 1; n <= seg.fieldCount(); n++) {
            Hl7Field f = seg.field(n);
            if (f == null) {
                continue;
            }
            String text = f.text();
            if (text == null) {
                continue;
            }
            String key = seg.name() + "-" + n;
            fields.put(key, text);
            int components = f.componentCount();
            if (components > 1) {
                for (int c = 1; c <= components; c++) {
                    String v = f.value(c);
                    if (v != null) {
                        fields.put(key + "." + c, v);
                    }
                }
            }
        }
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    private static final class OrderGroup {
        final Hl7Segment orc;
        Hl7Segment tq1;
        final List<ProcedureGroup> procedures = new ArrayList<>();

        OrderGroup(Hl7Segment orc) {
            this.orc = orc;
        }

        String placer() {
            if (orc.value(2) != null) {
                return orc.value(2);
            }
            return procedures.isEmpty() ? null : procedures.get(0).obr.value(2);
        }

        String filler() {
            if (orc.value(3) != null) {
                return orc.value(3);
            }
            return procedures.isEmpty() ? null : procedures.get(0).obr.value(3);
        }
    }

    private static final class ProcedureGroup {
        final Hl7Segment obr;
        Hl7Segment tq1;
        Hl7Segment zds;
        final List<Hl7Segment> obx = new ArrayList<>();
        final List<Hl7Segment> ipc = new ArrayList<>();
        final List<String> nte = new ArrayList<>();

        ProcedureGroup(Hl7Segment obr, Hl7Segment tq1) {
            this.obr = obr;
            this.tq1 = tq1;
        }
    }
}
