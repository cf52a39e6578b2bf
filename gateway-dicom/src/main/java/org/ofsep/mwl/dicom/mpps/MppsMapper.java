package org.ofsep.mwl.dicom.mpps;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.ofsep.mwl.core.domain.PerformedStep;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.DateTimes;
import org.ofsep.mwl.dicom.data.DicomCodecException;
import org.ofsep.mwl.dicom.data.DicomReader;
import org.ofsep.mwl.dicom.data.DicomWriter;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.TransferSyntax;

/**
 * Modality Performed Procedure Step attributes (PS3.4 Annex F, Table F.7.2-1; IHE RAD-6/RAD-7) to and from the
 * core {@link PerformedStep}: validation of an N-CREATE, validation and merge of an N-SET modification list onto the
 * stored attributes, and the mapping itself. The state rules that need the stored status (no N-SET after COMPLETED)
 * are the store's ({@code PerformedStepService.Result}); the attribute rules are here.
 */
public final class MppsMapper {

    public static final String IN_PROGRESS = "IN PROGRESS";
    public static final String COMPLETED = "COMPLETED";
    public static final String DISCONTINUED = "DISCONTINUED";

    /** N-CREATE type 1: present with a value (Table F.7.2-1, "N-CREATE SCU" = 1). */
    static final List<Integer> CREATE_TYPE_1 = List.of(
            Tag.ScheduledStepAttributesSequence, Tag.PerformedProcedureStepID, Tag.PerformedStationAETitle,
            Tag.PerformedProcedureStepStartDate, Tag.PerformedProcedureStepStartTime,
            Tag.PerformedProcedureStepStatus, Tag.Modality);

    /** N-CREATE type 2: present, possibly empty. */
    static final List<Integer> CREATE_TYPE_2 = List.of(
            Tag.PatientName, Tag.PatientID, Tag.PatientBirthDate, Tag.PatientSex,
            Tag.PerformedStationName, Tag.PerformedLocation, Tag.PerformedProcedureStepDescription,
            Tag.PerformedProcedureTypeDescription, Tag.ProcedureCodeSequence, Tag.PerformedProcedureStepEndDate,
            Tag.PerformedProcedureStepEndTime, Tag.StudyID, Tag.PerformedProtocolCodeSequence,
            Tag.PerformedSeriesSequence);

    /** Type 1 in each Scheduled Step Attributes Sequence item. */
    static final List<Integer> SCHEDULED_STEP_TYPE_1 = List.of(Tag.StudyInstanceUID);

    /**
     * Attributes an N-SET may not change (Table F.7.2-1, "N-SET SCU" = Not allowed). Sending them again with the
     * same value is tolerated, as consoles often resend the whole set. Specific Character Set is not one of them:
     * it is 1C in an N-SET (required when the modification list uses another character set) and says how the
     * list is encoded ({@link #merge}).
     */
    static final Set<Integer> NOT_SETTABLE = Set.of(
            Tag.SOPClassUID, Tag.SOPInstanceUID,
            Tag.ScheduledStepAttributesSequence, Tag.PatientName, Tag.PatientID, Tag.IssuerOfPatientID,
            Tag.PatientBirthDate, Tag.PatientSex, Tag.ReferencedPatientSequence,
            Tag.PerformedProcedureStepID, Tag.PerformedStationAETitle, Tag.PerformedStationName,
            Tag.PerformedLocation, Tag.PerformedProcedureStepStartDate, Tag.PerformedProcedureStepStartTime,
            Tag.Modality, Tag.StudyID);

    private final boolean requireType2;

    /**
     * @param requireType2 refuse an N-CREATE that omits a type 2 attribute (strict PS3.4). When false, only type 1
     *                     attributes are required: an exam is never lost because a console left out an empty one.
     */
    public MppsMapper(boolean requireType2) {
        this.requireType2 = requireType2;
    }

    public MppsMapper() {
        this(false);
    }

    // ---------------------------------------------------------------- N-CREATE

    /** Checks an N-CREATE dataset; empty when it may be created. */
    public Optional<MppsFailure> validateCreate(Attributes attrs) {
        List<Integer> missing = new ArrayList<>();
        for (int tag : CREATE_TYPE_1) {
            if (!attrs.contains(tag)) {
                missing.add(tag);
            }
        }
        if (requireType2) {
            for (int tag : CREATE_TYPE_2) {
                if (!attrs.contains(tag)) {
                    missing.add(tag);
                }
            }
        }
        if (!missing.isEmpty()) {
            return Optional.of(new MppsFailure(MppsFailure.MISSING_ATTRIBUTE, missing, "Missing required attribute"));
        }
        List<Integer> empty = new ArrayList<>();
        for (int tag : CREATE_TYPE_1) {
            if (!attrs.containsValue(tag)) {
                empty.add(tag);
            }
        }
        List<Attributes> steps = attrs.getSequence(Tag.ScheduledStepAttributesSequence);
        if (steps != null) {
            for (Attributes step : steps) {
                for (int tag : SCHEDULED_STEP_TYPE_1) {
                    if (!step.containsValue(tag) && !empty.contains(tag)) {
                        empty.add(tag);
                    }
                }
            }
        }
        if (!empty.isEmpty()) {
            return Optional.of(new MppsFailure(MppsFailure.MISSING_ATTRIBUTE_VALUE, empty,
                    "Missing value of required attribute"));
        }
        String status = attrs.getString(Tag.PerformedProcedureStepStatus);
        if (!IN_PROGRESS.equals(status)) {
            return Optional.of(new MppsFailure(MppsFailure.INVALID_ATTRIBUTE_VALUE,
                    List.of(Tag.PerformedProcedureStepStatus), "N-CREATE status must be IN PROGRESS"));
        }
        return invalidDates(attrs);
    }

    private static Optional<MppsFailure> invalidDates(Attributes attrs) {
        List<Integer> bad = new ArrayList<>();
        for (int tag : List.of(Tag.PerformedProcedureStepStartDate, Tag.PerformedProcedureStepEndDate)) {
            String v = attrs.getString(tag);
            if (v != null && DateTimes.parseDate(v) == null) {
                bad.add(tag);
            }
        }
        for (int tag : List.of(Tag.PerformedProcedureStepStartTime, Tag.PerformedProcedureStepEndTime)) {
            String v = attrs.getString(tag);
            if (v != null && DateTimes.parseTime(v) == null) {
                bad.add(tag);
            }
        }
        return bad.isEmpty() ? Optional.empty()
                : Optional.of(new MppsFailure(MppsFailure.INVALID_ATTRIBUTE_VALUE, bad, "Invalid date or time"));
    }

    // ---------------------------------------------------------------- N-SET

    /**
     * Checks an N-SET modification list against the stored attributes: no change to attributes N-SET may not
     * modify, a valid status, and on COMPLETED or DISCONTINUED the end date and time (in the list or stored).
     * Whether the stored instance is still IN PROGRESS is the store's rule.
     */
    public Optional<MppsFailure> validateSet(Attributes stored, Attributes modifications) {
        List<Integer> forbidden = new ArrayList<>();
        for (int tag : modifications.tags()) {
            if (NOT_SETTABLE.contains(tag) && !sameValue(stored, modifications, tag)) {
                forbidden.add(tag);
            }
        }
        if (!forbidden.isEmpty()) {
            return Optional.of(new MppsFailure(MppsFailure.INVALID_ATTRIBUTE_VALUE, forbidden,
                    "N-SET may not modify these attributes"));
        }
        if (modifications.contains(Tag.PerformedProcedureStepStatus)) {
            String status = modifications.getString(Tag.PerformedProcedureStepStatus);
            if (!IN_PROGRESS.equals(status) && !COMPLETED.equals(status) && !DISCONTINUED.equals(status)) {
                return Optional.of(new MppsFailure(MppsFailure.INVALID_ATTRIBUTE_VALUE,
                        List.of(Tag.PerformedProcedureStepStatus), "Invalid Performed Procedure Step Status"));
            }
        }
        Attributes merged = merge(stored, modifications);
        String status = merged.getString(Tag.PerformedProcedureStepStatus);
        if (COMPLETED.equals(status) || DISCONTINUED.equals(status)) {
            // F.7.2.2.2: the final N-SET must leave end date and time with values
            List<Integer> missing = new ArrayList<>();
            for (int tag : List.of(Tag.PerformedProcedureStepEndDate, Tag.PerformedProcedureStepEndTime)) {
                if (!merged.containsValue(tag)) {
                    missing.add(tag);
                }
            }
            if (!missing.isEmpty()) {
                return Optional.of(new MppsFailure(MppsFailure.MISSING_ATTRIBUTE_VALUE, missing,
                        "End date and time required to finish the step"));
            }
        }
        return invalidDates(merged);
    }

    private static boolean sameValue(Attributes stored, Attributes modifications, int tag) {
        Attributes a = new Attributes();
        a.copyFrom(stored, tag);
        Attributes b = new Attributes();
        b.copyFrom(modifications, tag);
        if (a.equals(b)) {
            return true;
        }
        // VR may differ between the N-CREATE and N-SET transfer syntaxes (UN in implicit VR): compare values
        String[] x = stored.getStrings(tag);
        String[] y = modifications.getStrings(tag);
        return x != null && y != null && java.util.Arrays.equals(x, y);
    }

    /**
     * The stored attributes with the modification list applied (PS3.4 F.7.2.2 and PS3.7 10.1.1): each attribute
     * in the list replaces the stored one, a sequence as a whole (its items are not merged), and an attribute sent
     * with zero length becomes empty. Attributes N-SET may not modify keep their stored value.
     */
    public Attributes merge(Attributes stored, Attributes modifications) {
        Attributes merged = new Attributes(stored);
        for (int tag : modifications.tags()) {
            if (NOT_SETTABLE.contains(tag) || Tag.isGroupLength(tag)) {
                continue;
            }
            merged.copyFrom(modifications, tag);
        }
        String before = stored.getString(Tag.SpecificCharacterSet);
        String after = modifications.getString(Tag.SpecificCharacterSet);
        if (modifications.contains(Tag.SpecificCharacterSet) && !java.util.Objects.equals(before, after)) {
            // values now come from two character sets: UTF-8 can hold both
            merged.setString(Tag.SpecificCharacterSet, org.ofsep.mwl.dicom.data.VR.CS, "ISO_IR 192");
        }
        return merged;
    }

    // ---------------------------------------------------------------- mapping

    /** The core view of an MPPS instance; {@code dataset} holds the attributes encoded by {@link #encode}. */
    public PerformedStep toPerformedStep(String sopInstanceUid, Attributes attrs) {
        List<String> spsIds = new ArrayList<>();
        List<PerformedStep.StepReference> references = new ArrayList<>();
        String studyUid = null;
        String accession = null;
        List<Attributes> steps = attrs.getSequence(Tag.ScheduledStepAttributesSequence);
        if (steps != null) {
            for (Attributes step : steps) {
                String sps = step.getString(Tag.ScheduledProcedureStepID);
                if (sps != null && !spsIds.contains(sps)) {
                    spsIds.add(sps);
                }
                String itemStudy = step.getString(Tag.StudyInstanceUID);
                if (sps != null && !sps.isBlank()) {
                    // each item with its own study and accession: SPS IDs may repeat across requested procedures
                    references.add(new PerformedStep.StepReference(sps, itemStudy,
                            step.getString(Tag.AccessionNumber)));
                } else if (itemStudy != null && !itemStudy.isBlank()) {
                    // SPS ID is Type 2: an item without one may still name its step by study (and accession)
                    references.add(new PerformedStep.StepReference(null, itemStudy,
                            step.getString(Tag.AccessionNumber)));
                }
                if (studyUid == null) {
                    studyUid = step.getString(Tag.StudyInstanceUID);
                }
                if (accession == null) {
                    accession = step.getString(Tag.AccessionNumber);
                }
            }
        }
        List<ProtocolCode> protocols = new ArrayList<>();
        List<Attributes> codes = attrs.getSequence(Tag.PerformedProtocolCodeSequence);
        if (codes != null) {
            for (Attributes c : codes) {
                String value = c.getString(Tag.CodeValue, c.getString(Tag.LongCodeValue));
                protocols.add(new ProtocolCode(value, c.getString(Tag.CodingSchemeDesignator),
                        c.getString(Tag.CodeMeaning)));
            }
        }
        return new PerformedStep(sopInstanceUid, attrs.getString(Tag.PerformedProcedureStepStatus),
                attrs.getString(Tag.PatientID), studyUid, spsIds, accession,
                attrs.getString(Tag.PerformedStationAETitle),
                dateTime(attrs, Tag.PerformedProcedureStepStartDate, Tag.PerformedProcedureStepStartTime),
                dateTime(attrs, Tag.PerformedProcedureStepEndDate, Tag.PerformedProcedureStepEndTime),
                protocols, encode(attrs), references, discontinuationReason(attrs));
    }

    /** The first code of PPS Discontinuation Reason Code Sequence (0040,0281) as "value^scheme", or null. */
    private static String discontinuationReason(Attributes attrs) {
        Attributes reason = attrs.getItem(Tag.PerformedProcedureStepDiscontinuationReasonCodeSequence, 0);
        if (reason == null) {
            return null;
        }
        String value = reason.getString(Tag.CodeValue, reason.getString(Tag.LongCodeValue));
        return value == null ? null : value.trim() + "^" + Objects.toString(reason.getString(Tag.CodingSchemeDesignator),
                "").trim();
    }

    private static LocalDateTime dateTime(Attributes attrs, int dateTag, int timeTag) {
        LocalDate date = DateTimes.parseDate(attrs.getString(dateTag));
        if (date == null) {
            return null;
        }
        LocalTime time = DateTimes.parseTime(attrs.getString(timeTag));
        return LocalDateTime.of(date, time == null ? LocalTime.MIDNIGHT : time);
    }

    /**
     * The stored form of MPPS attributes: Explicit VR Little Endian, with their Specific Character Set. Attributes
     * that declare none yet hold accents (a console that forgot (0008,0005), read as Latin-1) are stored with the
     * character set that holds them, never with the accents replaced.
     */
    public static byte[] encode(Attributes attrs) {
        int bits = attrs.stringCharBits();
        if (bits > 0x7F && !attrs.containsValue(Tag.SpecificCharacterSet)) {
            Attributes declared = new Attributes(attrs);
            declared.setString(Tag.SpecificCharacterSet, org.ofsep.mwl.dicom.data.VR.CS,
                    bits <= 0xFF ? "ISO_IR 100" : "ISO_IR 192");
            attrs = declared;
        }
        return DicomWriter.write(attrs, TransferSyntax.EXPLICIT_VR_LE);
    }

    /** Decodes {@link PerformedStep#dataset()}. */
    public static Attributes decode(byte[] dataset) throws DicomCodecException {
        return DicomReader.read(dataset, TransferSyntax.EXPLICIT_VR_LE);
    }
}
