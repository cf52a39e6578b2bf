package org.ofsep.mwl.dicom.mwl;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.DateTimes;
import org.ofsep.mwl.dicom.data.ElementDictionary;
import org.ofsep.mwl.dicom.data.SpecificCharacterSet;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.VR;

/**
 * Renders a worklist item as a Modality Worklist dataset (PS3.4 Table K.6-1) and projects it onto a C-FIND
 * identifier: the response carries exactly the keys requested (a key asked with an empty value comes back with the
 * item's value, a key not asked is not returned, a sequence key comes back with the sub-keys of its item, an
 * unsupported optional key comes back empty), in the item's character set.
 *
 * <p>The Scheduled Protocol Code Sequence carries the protocol codes for the calling station's vendor first, then
 * the default OFSEP code ({@code Decision.codesFor}). Values are cut to their VR's maximum length (LO 64, SH 16,
 * PN 64 per component group...), and characters that would break a value (backslash in a multi-valued VR,
 * control characters) are replaced, so a long or odd RIS text never produces an invalid dataset.
 */
public final class WorklistResponseBuilder {

    /** Every attribute the gateway renders, at any level (top level, SPS item, code items). */
    public static final Set<Integer> SUPPORTED_KEYS = Set.of(
            // Patient identification, demographics and medical status
            Tag.PatientName, Tag.PatientID, Tag.IssuerOfPatientID, Tag.PatientBirthDate, Tag.PatientSex,
            Tag.PatientWeight, Tag.MedicalAlerts, Tag.Allergies, Tag.PregnancyStatus, Tag.SpecialNeeds,
            // Visit
            Tag.AdmissionID, Tag.CurrentPatientLocation,
            // Imaging service request
            Tag.AccessionNumber, Tag.ReferringPhysicianName, Tag.RequestingPhysician,
            Tag.PlacerOrderNumberImagingServiceRequest, Tag.FillerOrderNumberImagingServiceRequest,
            // Requested procedure
            Tag.RequestedProcedureID, Tag.RequestedProcedureDescription, Tag.RequestedProcedureCodeSequence,
            Tag.StudyInstanceUID, Tag.ReferencedStudySequence, Tag.RequestedProcedurePriority,
            Tag.PatientTransportArrangements, Tag.ReasonForTheRequestedProcedure, Tag.RequestedProcedureComments,
            // Scheduled procedure step
            Tag.ScheduledProcedureStepSequence, Tag.ScheduledStationAETitle, Tag.ScheduledProcedureStepStartDate,
            Tag.ScheduledProcedureStepStartTime, Tag.Modality, Tag.ScheduledPerformingPhysicianName,
            Tag.ScheduledProcedureStepDescription, Tag.ScheduledStationName, Tag.ScheduledProcedureStepLocation,
            Tag.ScheduledProtocolCodeSequence, Tag.PreMedication, Tag.ScheduledProcedureStepID,
            Tag.RequestedContrastAgent, Tag.ScheduledProcedureStepStatus, Tag.CommentsOnTheScheduledProcedureStep,
            // Code sequence items
            Tag.CodeValue, Tag.CodingSchemeDesignator, Tag.CodeMeaning, Tag.LongCodeValue,
            // Character set (not a matching key, set from the content)
            Tag.SpecificCharacterSet);

    /**
     * The keys the gateway holds values for, hence matches on. The other supported keys (Allergies, Pregnancy
     * Status, Scheduled Performing Physician's Name...) are returned, always empty: a value given for them is an
     * optional key not supported for matching, ignored rather than excluding every item.
     */
    public static final Set<Integer> MATCHING_KEYS = SUPPORTED_KEYS.stream()
            .filter(t -> !Set.of(Tag.Allergies, Tag.PregnancyStatus, Tag.SpecialNeeds, Tag.AdmissionID,
                    Tag.CurrentPatientLocation, Tag.RequestingPhysician, Tag.ReferencedStudySequence,
                    Tag.RequestedProcedurePriority, Tag.PatientTransportArrangements,
                    Tag.ScheduledPerformingPhysicianName, Tag.ScheduledProcedureStepLocation, Tag.PreMedication,
                    Tag.CommentsOnTheScheduledProcedureStep, Tag.SpecificCharacterSet).contains(t))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** Every rendered attribute at its level, each sequence with one item: where a matching key is supported. */
    static final Attributes STRUCTURE = structure();

    private static Attributes structure() {
        org.ofsep.mwl.core.domain.ProtocolCode code = new ProtocolCode("C", "S", "M");
        WorklistItem sample = new WorklistItem(1, "S", "R", "A", "1.2", "P", "F",
                new Patient("I", "O", "N", java.time.LocalDate.EPOCH, "O"), 1.0, code, "D",
                java.time.LocalDateTime.of(2000, 1, 1, 0, 0), "MR", "AE", "N", "D", "R", "N",
                org.ofsep.mwl.core.domain.SpsStatus.SCHEDULED, org.ofsep.mwl.core.domain.Decision.passThrough(code),
                "A", "C", "C", null);
        return new WorklistResponseBuilder().render(sample, null);
    }

    /** The response to one C-FIND identifier for one item and the station that asks. */
    public Attributes build(WorklistItem item, Station station, Attributes identifier) {
        // the character set is chosen once, on the projected response, not on the full dataset first
        Attributes full = renderValues(item, station);
        Attributes response = project(full, identifier);
        applyCharacterSet(response, item.specificCharacterSet());
        return response;
    }

    /**
     * The complete worklist dataset of an item for a station's vendor (every supported attribute, type 2 ones
     * empty when unknown), with its Specific Character Set. Used for the `.wl` export;
     * {@link #build} projects the same values on the requested keys.
     */
    public Attributes render(WorklistItem item, Station station) {
        Attributes a = renderValues(item, station);
        applyCharacterSet(a, item.specificCharacterSet());
        return a;
    }

    /** Every supported attribute of the item, without (0008,0005). */
    private Attributes renderValues(WorklistItem item, Station station) {
        Attributes a = new Attributes();
        Patient p = item.patient();
        pn(a, Tag.PatientName, p == null ? null : p.name());
        text(a, Tag.PatientID, VR.LO, p == null ? null : p.id());
        text(a, Tag.IssuerOfPatientID, VR.LO, p == null ? null : p.issuer());
        text(a, Tag.PatientBirthDate, VR.DA, p == null ? null : DateTimes.formatDate(p.birthDate()));
        text(a, Tag.PatientSex, VR.CS, p == null ? null : p.sex());
        if (item.weightKg() != null) {
            a.setDouble(Tag.PatientWeight, VR.DS, Math.round(item.weightKg() * 10) / 10.0);
        } else {
            a.setEmpty(Tag.PatientWeight, VR.DS);
        }
        medicalAlerts(a, item.medicalAlerts());
        a.setEmpty(Tag.Allergies, VR.LO);
        a.setEmpty(Tag.PregnancyStatus, VR.US);
        a.setEmpty(Tag.SpecialNeeds, VR.LO);
        a.setEmpty(Tag.AdmissionID, VR.LO);
        a.setEmpty(Tag.CurrentPatientLocation, VR.LO);

        text(a, Tag.AccessionNumber, VR.SH, item.accessionNumber());
        pn(a, Tag.ReferringPhysicianName, item.referringPhysician());
        a.setEmpty(Tag.RequestingPhysician, VR.PN);
        text(a, Tag.PlacerOrderNumberImagingServiceRequest, VR.LO, item.placerOrderNumber());
        text(a, Tag.FillerOrderNumberImagingServiceRequest, VR.LO, item.fillerOrderNumber());

        text(a, Tag.RequestedProcedureID, VR.SH, item.requestedProcedureId());
        text(a, Tag.RequestedProcedureDescription, VR.LO, item.requestedProcedureDescription());
        List<Attributes> rpCodes = a.newSequence(Tag.RequestedProcedureCodeSequence);
        if (item.requestedProcedureCode() != null) {
            rpCodes.add(code(item.requestedProcedureCode()));
        }
        text(a, Tag.StudyInstanceUID, VR.UI, item.studyInstanceUid());
        a.newSequence(Tag.ReferencedStudySequence);
        a.setEmpty(Tag.RequestedProcedurePriority, VR.SH);
        a.setEmpty(Tag.PatientTransportArrangements, VR.LO);
        text(a, Tag.ReasonForTheRequestedProcedure, VR.LO, item.reason());
        text(a, Tag.RequestedProcedureComments, VR.LT, item.procedureComments());

        Attributes sps = a.addItem(Tag.ScheduledProcedureStepSequence);
        text(sps, Tag.ScheduledStationAETitle, VR.AE, item.stationAeTitle());
        text(sps, Tag.ScheduledProcedureStepStartDate, VR.DA,
                item.scheduledStart() == null ? null : DateTimes.formatDate(item.scheduledStart().toLocalDate()));
        text(sps, Tag.ScheduledProcedureStepStartTime, VR.TM,
                item.scheduledStart() == null ? null : DateTimes.formatTime(item.scheduledStart().toLocalTime()));
        text(sps, Tag.Modality, VR.CS, item.modality());
        sps.setEmpty(Tag.ScheduledPerformingPhysicianName, VR.PN);
        text(sps, Tag.ScheduledProcedureStepDescription, VR.LO, item.spsDescription());
        text(sps, Tag.ScheduledStationName, VR.SH, item.stationName());
        sps.setEmpty(Tag.ScheduledProcedureStepLocation, VR.SH);
        List<Attributes> protocol = sps.newSequence(Tag.ScheduledProtocolCodeSequence);
        for (ProtocolCode c : protocolCodes(item, station)) {
            protocol.add(code(c));
        }
        sps.setEmpty(Tag.PreMedication, VR.LO);
        text(sps, Tag.ScheduledProcedureStepID, VR.SH, item.spsId());
        text(sps, Tag.RequestedContrastAgent, VR.LO, item.requestedContrastAgent());
        text(sps, Tag.ScheduledProcedureStepStatus, VR.CS, item.status() == null ? null : item.status().name());
        sps.setEmpty(Tag.CommentsOnTheScheduledProcedureStep, VR.LT);
        return a;
    }

    /** Vendor codes first, then the default OFSEP codes; the RIS code for an item without a decision. */
    private static List<ProtocolCode> protocolCodes(WorklistItem item, Station station) {
        if (item.decision() == null) {
            return item.requestedProcedureCode() == null ? List.of() : List.of(item.requestedProcedureCode());
        }
        return item.decision().codesFor(station == null ? null : station.vendor());
    }

    private static Attributes code(ProtocolCode c) {
        Attributes item = new Attributes();
        String value = clean(c.value(), VR.SH);
        if (value != null && value.length() > VR.SH.maxLength()) {
            // PS3.3 8.8: a code value over 16 characters goes in Long Code Value, never truncated into another code
            item.setString(Tag.LongCodeValue, VR.UC, value);
        } else {
            text(item, Tag.CodeValue, VR.SH, value);
        }
        text(item, Tag.CodingSchemeDesignator, VR.SH, c.scheme());
        text(item, Tag.CodeMeaning, VR.LO, c.meaning());
        return item;
    }

    /** Medical Alerts is LO 1-n: one value per alert, each at most 64 characters. */
    private static void medicalAlerts(Attributes a, String alerts) {
        if (alerts == null || alerts.isBlank()) {
            a.setEmpty(Tag.MedicalAlerts, VR.LO);
            return;
        }
        List<String> values = new ArrayList<>();
        for (String s : alerts.split("\\s*[\\\\\\n;|]\\s*")) {
            String v = clean(s, VR.LO);
            if (v != null && !v.isBlank()) {
                values.add(truncate(v, VR.LO));
            }
        }
        a.setString(Tag.MedicalAlerts, VR.LO, values.toArray(String[]::new));
    }

    // ---------------------------------------------------------------- projection

    /** The elements of {@code full} the identifier asks for, recursively into sequence items. */
    static Attributes project(Attributes full, Attributes keys) {
        Attributes out = new Attributes();
        for (int tag : keys.tags()) {
            if (tag == Tag.SpecificCharacterSet || Tag.isGroupLength(tag)) {
                continue;
            }
            VR keyVR = keys.getVR(tag);
            if (!SUPPORTED_KEYS.contains(tag) || !full.contains(tag)) {
                VR vr = keyVR == VR.UN ? ElementDictionary.vrOf(tag) : keyVR;
                out.setEmpty(tag, vr);
                continue;
            }
            List<Attributes> items = full.getSequence(tag);
            if (items != null) {
                Attributes keyItem = keys.getItem(tag, 0);
                List<Attributes> seq = out.newSequence(tag);
                for (Attributes item : items) {
                    seq.add(keyItem == null || keyItem.isEmpty() ? new Attributes(item) : project(item, keyItem));
                }
            } else {
                out.copyFrom(full, tag);
            }
        }
        return out;
    }

    /**
     * Sets (0008,0005) from the content: none when all ASCII, else the item's own charset when it can encode every
     * value, else ISO_IR 100 when Latin-1 is enough, else ISO_IR 192.
     */
    static void applyCharacterSet(Attributes a, String itemCharset) {
        List<String> strings = new ArrayList<>();
        collectStrings(a, strings);
        SpecificCharacterSet cs = SpecificCharacterSet.bestFor(itemCharset, strings);
        if (cs.isDefault()) {
            a.remove(Tag.SpecificCharacterSet);
        } else {
            a.setString(Tag.SpecificCharacterSet, VR.CS, cs.term());
        }
    }

    private static void collectStrings(Attributes a, List<String> out) {
        for (int tag : a.tags()) {
            List<Attributes> seq = a.getSequence(tag);
            if (seq != null) {
                for (Attributes item : seq) {
                    collectStrings(item, out);
                }
            } else if (a.getVR(tag).isString()) {
                String[] v = a.getStrings(tag);
                if (v != null) {
                    out.addAll(List.of(v));
                }
            }
        }
    }

    // ---------------------------------------------------------------- values

    private static void text(Attributes a, int tag, VR vr, String value) {
        String v = clean(value, vr);
        if (v == null || v.isEmpty()) {
            a.setEmpty(tag, vr);
        } else {
            a.setString(tag, vr, truncate(v, vr));
        }
    }

    private static void pn(Attributes a, int tag, String value) {
        String v = clean(value, VR.PN);
        if (v == null || v.isEmpty()) {
            a.setEmpty(tag, VR.PN);
            return;
        }
        a.setString(tag, VR.PN, truncate(v, VR.PN));
    }

    /**
     * Makes a value safe for its VR: no backslash in a single value of a multi-valued VR (it would split the value),
     * no control characters except CR, LF, FF and TAB in text VRs; surrounding spaces removed.
     */
    static String clean(String value, VR vr) {
        if (value == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(value.length());
        boolean text = vr.kind() == VR.Kind.TEXT;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && !text) {
                sb.append('/');
            } else if (c < 0x20 && !(text && (c == '\r' || c == '\n' || c == '\f' || c == '\t'))) {
                sb.append(' ');
            } else {
                sb.append(c);
            }
        }
        return sb.toString().strip();
    }

    /** Cuts a value to its VR's maximum length; PN per component group (PS3.5 6.2: 64 characters each). */
    static String truncate(String value, VR vr) {
        if (vr == VR.PN) {
            String[] groups = value.split("=", -1);
            for (int i = 0; i < groups.length; i++) {
                groups[i] = cut(groups[i], 64);
            }
            return String.join("=", groups);
        }
        return vr.maxLength() > 0 && vr.isString() ? cut(value, vr.maxLength()) : value;
    }

    private static String cut(String s, int max) {
        if (s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, max)).stripTrailing();
    }
}
