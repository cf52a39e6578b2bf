package org.ofsep.mwl.dicom.mwl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.decision.WorklistTexts;
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
 * <p>Each attribute has its renderer at its level (top, SPS item, code item). {@link #render} runs them all (the
 * `.wl` export); a query compiles its identifier once into a {@link Plan} that runs only the requested ones, which
 * gives what rendering everything then {@link #project projecting} gives, for a fraction of the work.
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
            // Code sequence items (Coding Scheme Version: returned empty, the gateway's schemes have no versions)
            Tag.CodeValue, Tag.CodingSchemeDesignator, Tag.CodeMeaning, Tag.LongCodeValue, Tag.CodingSchemeVersion,
            // Referenced Study Sequence items (the sequence is returned with no item)
            Tag.ReferencedSOPClassUID, Tag.ReferencedSOPInstanceUID,
            // Character set (not a matching key, set from the content)
            Tag.SpecificCharacterSet);

    /**
     * The keys matched. The other supported keys (Allergies, Pre-Medication...) are optional matching keys (PS3.4
     * Table K.6-1, type O) returned, always empty, and Pregnancy Status is returned with its value: a value given
     * for them is an optional key not supported for matching, ignored rather than excluding items, and the pending
     * responses say so (0xFF01, {@link #hasUnsupportedKeys}). Scheduled Performing Physician's Name is a required
     * matching key (type R): it is matched, against the empty value the gateway holds, so a name finds nothing.
     */
    public static final Set<Integer> MATCHING_KEYS = SUPPORTED_KEYS.stream()
            .filter(t -> !Set.of(Tag.Allergies, Tag.PregnancyStatus, Tag.SpecialNeeds, Tag.AdmissionID,
                    Tag.CurrentPatientLocation, Tag.RequestingPhysician, Tag.ReferencedStudySequence,
                    Tag.PatientTransportArrangements,
                    Tag.ScheduledProcedureStepLocation, Tag.PreMedication,
                    Tag.CommentsOnTheScheduledProcedureStep, Tag.SpecificCharacterSet, Tag.CodingSchemeVersion,
                    Tag.ReferencedSOPClassUID, Tag.ReferencedSOPInstanceUID).contains(t))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    /**
     * Whether the identifier holds a key the gateway does not support as asked, at any level (PS3.4 C.4.1.1.4:
     * the pending responses are then 0xFF01): a key it neither matches nor returns, a key at a level where its
     * datasets have no such attribute (e.g. Modality outside the Scheduled Procedure Step Sequence), both
     * returned empty and not matched, or a value on a key that is returned but not matched (Allergies=X).
     */
    public static boolean hasUnsupportedKeys(Attributes identifier) {
        return unsupportedKeys(identifier, STRUCTURE);
    }

    /** {@code level}: the gateway's dataset at the identifier level {@code keys}, null where it has none. */
    private static boolean unsupportedKeys(Attributes keys, Attributes level) {
        for (int tag : keys.tags()) {
            if (Tag.isGroupLength(tag) || tag == Tag.SpecificCharacterSet) {
                continue;
            }
            if (!SUPPORTED_KEYS.contains(tag) || level == null || !level.contains(tag)) {
                return true;
            }
            List<Attributes> items = keys.getSequence(tag);
            if (items != null) {
                for (Attributes item : items) {
                    if (unsupportedKeys(item, level.getItem(tag, 0))) {
                        return true;
                    }
                }
            } else if (!MATCHING_KEYS.contains(tag) && keys.containsValue(tag)
                    && !WorklistMatcher.isUniversal(keys.getVR(tag), keys.getStrings(tag))) {
                return true;
            }
        }
        return false;
    }

    /** The response to one C-FIND identifier for one item and the station that asks. */
    public Attributes build(WorklistItem item, Station station, Attributes identifier) {
        return plan(identifier).build(item, station);
    }

    /**
     * What {@code identifier} asks for, resolved once for a whole query: which keys are rendered from the item,
     * which come back empty (unsupported, or at a level where the gateway has no such attribute), which sequence
     * items are rendered whole (key sequence empty) or on their sub-keys. {@link Plan#build} then renders only
     * the requested attributes of each item, instead of rendering every attribute and projecting.
     */
    public Plan plan(Attributes identifier) {
        return new Plan(Projection.compile(TOP, identifier), answerCharset(identifier));
    }

    /**
     * The answer character set the querying console names, as one of the gateway's own terms: "ISO_IR 100" for a
     * Latin-1 console however it writes it (ISO_IR 100, ISO 2022 IR 100, "\ISO 2022 IR 100"), "ISO_IR 192" for
     * UTF-8; null for any other (the item's own set is used).
     */
    static String answerCharset(Attributes identifier) {
        String[] values = identifier.getStrings(Tag.SpecificCharacterSet);
        if (values == null || values.length == 0) {
            return null;
        }
        try {
            java.nio.charset.Charset cs = SpecificCharacterSet.of(values).charset();
            if (java.nio.charset.StandardCharsets.ISO_8859_1.equals(cs)) {
                return "ISO_IR 100";
            }
            return java.nio.charset.StandardCharsets.UTF_8.equals(cs) ? "ISO_IR 192" : null;
        } catch (org.ofsep.mwl.dicom.data.UnsupportedCharacterSetException e) {
            return null;
        }
    }

    /**
     * The responses of one query: the identifier's keys resolved against the dataset levels. Immutable, so one
     * plan may serve any number of items (one query, one thread at a time or several).
     */
    public static final class Plan {
        private final Projection<WorklistItem> top;
        private final String queryCharset;

        private Plan(Projection<WorklistItem> top, String queryCharset) {
            this.top = top;
            this.queryCharset = queryCharset;
        }

        /**
         * What the responses of this plan depend on in the identifier, as text: each requested key (tag, VR) and
         * how it is answered, recursively. Two identifiers with the same shape get the same response for an item,
         * whatever their matching values ({@link ResponseCache} keys on it).
         */
        public String shape() {
            return queryCharset == null ? top.shape : top.shape + "@" + queryCharset;
        }

        /**
         * The response for one item and the station that asks: exactly what {@code project(render(item,
         * station), identifier)} gives, with its Specific Character Set chosen on the projected values.
         */
        public Attributes build(WorklistItem item, Station station) {
            Attributes response = top.build(item, station);
            applyCharacterSet(response, item.specificCharacterSet(), queryCharset);
            return response;
        }
    }

    /**
     * The complete worklist dataset of an item for a station's vendor (every supported attribute, type 2 ones
     * empty when unknown), with its Specific Character Set. Used for the `.wl` export;
     * {@link #build} renders the same values for the requested keys only.
     */
    public Attributes render(WorklistItem item, Station station) {
        Attributes a = renderValues(item, station);
        applyCharacterSet(a, item.specificCharacterSet());
        return a;
    }

    /** Every supported attribute of the item, without (0008,0005). */
    static Attributes renderValues(WorklistItem item, Station station) {
        return TOP.renderAll(item, station);
    }

    // ---------------------------------------------------------------- the dataset levels

    /** Sets one attribute of a level in {@code out} from its source (it may leave it absent). */
    @FunctionalInterface
    private interface Field<S> {
        void put(Attributes out, S source, Station station);
    }

    /** The items of a sequence attribute: one source per item, rendered at {@code level}. */
    private record Nested<S, T>(BiFunction<S, Station, List<T>> items, Level<T> level) {
        Attributes renderItem(Object source, Station station) {
            @SuppressWarnings("unchecked") T t = (T) source;
            return level.renderAll(t, station);
        }
    }

    /** The attributes one dataset level holds (top level, SPS item, code item), each with how it is rendered. */
    private static final class Level<S> {
        final Map<Integer, Field<S>> fields = new LinkedHashMap<>();
        final Map<Integer, Nested<S, ?>> sequences = new LinkedHashMap<>();

        Level<S> field(int tag, Field<S> f) {
            fields.put(tag, f);
            return this;
        }

        <T> Level<S> sequence(int tag, BiFunction<S, Station, List<T>> items, Level<T> level) {
            sequences.put(tag, new Nested<>(items, level));
            return this;
        }

        boolean has(int tag) {
            return fields.containsKey(tag) || sequences.containsKey(tag);
        }

        /** Every attribute of the level (the full rendering). */
        Attributes renderAll(S source, Station station) {
            Attributes a = new Attributes();
            for (Field<S> f : fields.values()) {
                f.put(a, source, station);
            }
            for (Map.Entry<Integer, Nested<S, ?>> e : sequences.entrySet()) {
                List<Attributes> seq = a.newSequence(e.getKey());
                for (Object t : e.getValue().items().apply(source, station)) {
                    seq.add(e.getValue().renderItem(t, station));
                }
            }
            return a;
        }
    }

    private static final Level<ProtocolCode> CODE = new Level<ProtocolCode>()
            // PS3.3 8.8: a code value over 16 characters goes in Long Code Value, never truncated into another code
            .field(Tag.CodeValue, (a, c, st) -> {
                String value = clean(c.value(), VR.SH);
                if (!isLongCode(value)) {
                    text(a, Tag.CodeValue, VR.SH, value);
                }
            })
            .field(Tag.LongCodeValue, (a, c, st) -> {
                String value = clean(c.value(), VR.SH);
                if (isLongCode(value)) {
                    a.setString(Tag.LongCodeValue, VR.UC, value);
                }
            })
            .field(Tag.CodingSchemeDesignator, (a, c, st) -> text(a, Tag.CodingSchemeDesignator, VR.SH, c.scheme()))
            .field(Tag.CodeMeaning, (a, c, st) -> text(a, Tag.CodeMeaning, VR.LO, c.meaning()))
            // type 1C (PS3.3 8.2): only when the designator is not unique, never the case for the gateway's codes;
            // a console that asks for it (Siemens, GE, Philips do) gets it empty, not a warning
            .field(Tag.CodingSchemeVersion, (a, c, st) -> { });

    /** An item of Referenced Study Sequence: the gateway has none, but its two keys are known (returned empty). */
    private static final Level<Object> REFERENCED_STUDY = new Level<>()
            .field(Tag.ReferencedSOPClassUID, (a, r, st) -> { })
            .field(Tag.ReferencedSOPInstanceUID, (a, r, st) -> { });

    private static final Level<WorklistItem> SPS = new Level<WorklistItem>()
            .field(Tag.ScheduledStationAETitle, (a, i, st) -> text(a, Tag.ScheduledStationAETitle, VR.AE, i.stationAeTitle()))
            .field(Tag.ScheduledProcedureStepStartDate, (a, i, st) -> text(a, Tag.ScheduledProcedureStepStartDate, VR.DA,
                    i.scheduledStart() == null ? null : DateTimes.formatDate(i.scheduledStart().toLocalDate())))
            .field(Tag.ScheduledProcedureStepStartTime, (a, i, st) -> text(a, Tag.ScheduledProcedureStepStartTime, VR.TM,
                    i.scheduledStart() == null ? null : DateTimes.formatTime(i.scheduledStart().toLocalTime())))
            .field(Tag.Modality, (a, i, st) -> text(a, Tag.Modality, VR.CS, i.modality()))
            .field(Tag.ScheduledPerformingPhysicianName, (a, i, st) -> a.setEmpty(Tag.ScheduledPerformingPhysicianName, VR.PN))
            .field(Tag.ScheduledProcedureStepDescription,
                    (a, i, st) -> text(a, Tag.ScheduledProcedureStepDescription, VR.LO, i.spsDescription()))
            .field(Tag.ScheduledStationName, (a, i, st) -> text(a, Tag.ScheduledStationName, VR.SH, i.stationName()))
            .field(Tag.ScheduledProcedureStepLocation, (a, i, st) -> a.setEmpty(Tag.ScheduledProcedureStepLocation, VR.SH))
            .sequence(Tag.ScheduledProtocolCodeSequence, WorklistResponseBuilder::protocolCodes, CODE)
            .field(Tag.PreMedication, (a, i, st) -> a.setEmpty(Tag.PreMedication, VR.LO))
            .field(Tag.ScheduledProcedureStepID, (a, i, st) -> text(a, Tag.ScheduledProcedureStepID, VR.SH, i.spsId()))
            .field(Tag.RequestedContrastAgent,
                    (a, i, st) -> text(a, Tag.RequestedContrastAgent, VR.LO, i.requestedContrastAgent()))
            .field(Tag.ScheduledProcedureStepStatus, (a, i, st) -> text(a, Tag.ScheduledProcedureStepStatus, VR.CS,
                    i.status() == null ? null : i.status().name()))
            .field(Tag.CommentsOnTheScheduledProcedureStep,
                    (a, i, st) -> a.setEmpty(Tag.CommentsOnTheScheduledProcedureStep, VR.LT));

    private static final Level<WorklistItem> TOP = new Level<WorklistItem>()
            .field(Tag.PatientName, (a, i, st) -> pn(a, Tag.PatientName, i.patient() == null ? null : i.patient().name()))
            .field(Tag.PatientID, (a, i, st) -> text(a, Tag.PatientID, VR.LO, i.patient() == null ? null : i.patient().id()))
            .field(Tag.IssuerOfPatientID,
                    (a, i, st) -> text(a, Tag.IssuerOfPatientID, VR.LO, i.patient() == null ? null : i.patient().issuer()))
            .field(Tag.PatientBirthDate, (a, i, st) -> text(a, Tag.PatientBirthDate, VR.DA,
                    i.patient() == null ? null : DateTimes.formatDate(i.patient().birthDate())))
            .field(Tag.PatientSex, (a, i, st) -> text(a, Tag.PatientSex, VR.CS, i.patient() == null ? null : i.patient().sex()))
            .field(Tag.PatientWeight, (a, i, st) -> {
                if (i.weightKg() != null) {
                    a.setDouble(Tag.PatientWeight, VR.DS, Math.round(i.weightKg() * 10) / 10.0);
                } else {
                    a.setEmpty(Tag.PatientWeight, VR.DS);
                }
            })
            .field(Tag.MedicalAlerts, (a, i, st) -> medicalAlerts(a, i.medicalAlerts()))
            .field(Tag.Allergies, (a, i, st) -> allergies(a, i))
            .field(Tag.PregnancyStatus, (a, i, st) -> a.setInt(Tag.PregnancyStatus, VR.US, pregnancyStatus(i)))
            .field(Tag.SpecialNeeds, (a, i, st) -> a.setEmpty(Tag.SpecialNeeds, VR.LO))
            .field(Tag.AdmissionID, (a, i, st) -> a.setEmpty(Tag.AdmissionID, VR.LO))
            .field(Tag.CurrentPatientLocation, (a, i, st) -> a.setEmpty(Tag.CurrentPatientLocation, VR.LO))
            .field(Tag.AccessionNumber, (a, i, st) -> text(a, Tag.AccessionNumber, VR.SH, i.accessionNumber()))
            .field(Tag.ReferringPhysicianName, (a, i, st) -> pn(a, Tag.ReferringPhysicianName, i.referringPhysician()))
            .field(Tag.RequestingPhysician, (a, i, st) -> a.setEmpty(Tag.RequestingPhysician, VR.PN))
            .field(Tag.PlacerOrderNumberImagingServiceRequest,
                    (a, i, st) -> text(a, Tag.PlacerOrderNumberImagingServiceRequest, VR.LO, i.placerOrderNumber()))
            .field(Tag.FillerOrderNumberImagingServiceRequest,
                    (a, i, st) -> text(a, Tag.FillerOrderNumberImagingServiceRequest, VR.LO, i.fillerOrderNumber()))
            .field(Tag.RequestedProcedureID, (a, i, st) -> text(a, Tag.RequestedProcedureID, VR.SH, i.requestedProcedureId()))
            .field(Tag.RequestedProcedureDescription,
                    (a, i, st) -> text(a, Tag.RequestedProcedureDescription, VR.LO, i.requestedProcedureDescription()))
            .sequence(Tag.RequestedProcedureCodeSequence, (i, st) -> i.requestedProcedureCode() == null
                    ? List.of() : List.of(i.requestedProcedureCode()), CODE)
            .field(Tag.StudyInstanceUID, (a, i, st) -> text(a, Tag.StudyInstanceUID, VR.UI, i.studyInstanceUid()))
            .sequence(Tag.ReferencedStudySequence, (i, st) -> List.of(), REFERENCED_STUDY)
            // the order's priority as a DICOM defined term (STAT, HIGH, ROUTINE); empty when the order gave none
            // that maps to one, or the step was stored before V18
            .field(Tag.RequestedProcedurePriority, (a, i, st) -> text(a, Tag.RequestedProcedurePriority, VR.SH,
                    i.priority() == null ? null : i.priority().name()))
            .field(Tag.PatientTransportArrangements, (a, i, st) -> a.setEmpty(Tag.PatientTransportArrangements, VR.LO))
            .field(Tag.ReasonForTheRequestedProcedure,
                    (a, i, st) -> text(a, Tag.ReasonForTheRequestedProcedure, VR.LO, i.reason()))
            .field(Tag.RequestedProcedureComments,
                    (a, i, st) -> text(a, Tag.RequestedProcedureComments, VR.LT, i.procedureComments()))
            .sequence(Tag.ScheduledProcedureStepSequence, (i, st) -> List.of(i), SPS);

    /**
     * Allergies (0010,2110), LO, one value per allergen the order names (AL1, or "gadolinium" read from the text),
     * each made to fit as Medical Alerts are ({@link WorklistTexts#allergies}: a longer one cut visibly).
     */
    private static void allergies(Attributes a, WorklistItem item) {
        List<String> values = WorklistTexts.allergies(item.decision());
        if (values.isEmpty()) {
            a.setEmpty(Tag.Allergies, VR.LO);
        } else {
            a.setString(Tag.Allergies, VR.LO, values.toArray(String[]::new));
        }
    }

    /**
     * PS3.3 C.7.1.4 Pregnancy Status as the order's facts say: 0001 not pregnant, 0002 possibly pregnant (not ruled
     * out, suspected), 0003 definitely pregnant, 0004 unknown (nothing said, or a status answered unknown).
     */
    static int pregnancyStatus(WorklistItem item) {
        Decision.Pregnancy p = item.decision() == null ? null : item.decision().pregnancy();
        if (p == null) {
            return 4;
        }
        return switch (p) {
            case NOT_PREGNANT -> 1;
            case POSSIBLE -> 2;
            case PREGNANT -> 3;
            case UNKNOWN -> 4;
        };
    }

    private static boolean isLongCode(String cleanedValue) {
        return cleanedValue != null && cleanedValue.length() > VR.SH.maxLength();
    }

    /** Vendor codes first, then the default OFSEP codes; the RIS code for an item without a decision. */
    private static List<ProtocolCode> protocolCodes(WorklistItem item, Station station) {
        if (item.decision() == null) {
            return item.requestedProcedureCode() == null ? List.of() : List.of(item.requestedProcedureCode());
        }
        return item.decision().codesFor(station == null ? null : station.vendor());
    }

    /** Medical Alerts is LO 1-n: one value per alert (the item carries them as a list), each at most 64 characters. */
    private static void medicalAlerts(Attributes a, List<String> alerts) {
        List<String> values = new ArrayList<>(alerts.size());
        for (String s : alerts) {
            String v = clean(s, VR.LO);
            if (v != null && !v.isBlank()) {
                values.add(truncate(v, VR.LO));
            }
        }
        if (values.isEmpty()) {
            a.setEmpty(Tag.MedicalAlerts, VR.LO);
            return;
        }
        a.setString(Tag.MedicalAlerts, VR.LO, values.toArray(String[]::new));
    }

    // ---------------------------------------------------------------- the plan of one identifier level

    /** One step of a compiled projection: puts one requested attribute in the response. */
    @FunctionalInterface
    private interface Step<S> {
        void apply(Attributes out, S source, Station station);
    }

    /** The requested keys of one identifier level, compiled against a dataset level. */
    private static final class Projection<S> {
        private final Step<S>[] steps;
        final String shape;

        private Projection(Step<S>[] steps, String shape) {
            this.steps = steps;
            this.shape = shape;
        }

        Attributes build(S source, Station station) {
            Attributes out = new Attributes();
            for (Step<S> s : steps) {
                s.apply(out, source, station);
            }
            return out;
        }

        /** Mirrors {@link WorklistResponseBuilder#project}, key by key, decided once instead of per item. */
        @SuppressWarnings("unchecked")
        static <S> Projection<S> compile(Level<S> level, Attributes keys) {
            List<Step<S>> steps = new ArrayList<>();
            StringBuilder shape = new StringBuilder("{");
            for (int tag : keys.tags()) {
                if (tag == Tag.SpecificCharacterSet || Tag.isGroupLength(tag)) {
                    continue;
                }
                VR keyVR = keys.getVR(tag);
                VR emptyVR = keyVR == VR.UN ? ElementDictionary.vrOf(tag) : keyVR;
                shape.append(Integer.toHexString(tag)).append(':').append(emptyVR);
                if (!SUPPORTED_KEYS.contains(tag) || !level.has(tag)) {
                    steps.add((out, src, st) -> out.setEmpty(tag, emptyVR));
                    shape.append(":empty,");
                    continue;
                }
                Nested<S, ?> nested = level.sequences.get(tag);
                if (nested != null) {
                    Attributes keyItem = keys.getItem(tag, 0);
                    Projection<?> sub = keyItem == null || keyItem.isEmpty() ? null : compile(nested.level(), keyItem);
                    CodeFilter filter = CodeFilter.of(tag, keyItem);
                    steps.add(sequenceStep(tag, nested, sub, filter));
                    shape.append(sub == null ? ":all" : sub.shape).append(filter == null ? "" : filter.shape)
                            .append(',');
                    continue;
                }
                shape.append(',');
                Field<S> field = level.fields.get(tag);
                steps.add((out, src, st) -> {
                    field.put(out, src, st);
                    if (!out.contains(tag)) {
                        out.setEmpty(tag, emptyVR); // an attribute the item does not have (e.g. Code Value of a long code)
                    }
                });
            }
            return new Projection<>(steps.toArray(Step[]::new), shape.append('}').toString());
        }

        /**
         * {@code sub} null: an empty key item (or none), which asks for the whole items; {@code filter} not null:
         * only the code items that match the key item's values are returned.
         */
        @SuppressWarnings("unchecked")
        private static <S, T> Step<S> sequenceStep(int tag, Nested<S, T> nested, Projection<?> anySub,
                                                   CodeFilter filter) {
            Projection<T> sub = (Projection<T>) anySub;
            return (out, src, st) -> {
                List<Attributes> seq = out.newSequence(tag);
                for (T t : nested.items().apply(src, st)) {
                    Attributes item = sub == null ? nested.level().renderAll(t, st) : sub.build(t, st);
                    if (filter == null || filter.keeps(item)) {
                        seq.add(item);
                    }
                }
            };
        }
    }

    /**
     * PS3.4 C.2.2.2.6: when a key sequence's item has matching values, "a sequence of matching Items containing only
     * the requested Attributes is returned". For the two code sequences (Requested Procedure Code Sequence,
     * Scheduled Protocol Code Sequence), whose items the gateway holds several of: an item is returned when each
     * of its matching keys with a value matches (wildcards, several values as a list), as the matcher decides for
     * the whole worklist item. The other sequences hold one item (the SPS) or none.
     */
    private record CodeFilter(Map<Integer, String[]> values, String shape) {
        private static final Set<Integer> CODE_SEQUENCES = Set.of(Tag.RequestedProcedureCodeSequence,
                Tag.ScheduledProtocolCodeSequence);
        private static final List<Integer> CODE_KEYS = List.of(Tag.CodeValue, Tag.CodingSchemeDesignator,
                Tag.CodeMeaning, Tag.LongCodeValue);

        /** The filter of a key item, or null when it asks for every item. */
        static CodeFilter of(int sequenceTag, Attributes keyItem) {
            if (!CODE_SEQUENCES.contains(sequenceTag) || keyItem == null) {
                return null;
            }
            Map<Integer, String[]> values = new LinkedHashMap<>();
            StringBuilder shape = new StringBuilder();
            for (int tag : CODE_KEYS) {
                String[] v = keyItem.getStrings(tag);
                if (v != null && v.length > 0 && !WorklistMatcher.isUniversal(keyItem.getVR(tag), v)
                        && java.util.Arrays.stream(v).anyMatch(x -> x != null && !x.isEmpty())) {
                    values.put(tag, v);
                    shape.append('?').append(Integer.toHexString(tag)).append('=')
                            .append(String.join("\\", v));
                }
            }
            return values.isEmpty() ? null : new CodeFilter(values, shape.toString());
        }

        boolean keeps(Attributes item) {
            for (Map.Entry<Integer, String[]> e : values.entrySet()) {
                String[] candidates = item.getStrings(e.getKey());
                boolean any = false;
                for (String key : e.getValue()) {
                    for (String c : candidates == null ? new String[0] : candidates) {
                        if (key != null && c != null && WorklistMatcher.wildcard(key, c)) {
                            any = true;
                        }
                    }
                }
                if (!any) {
                    return false;
                }
            }
            return true;
        }
    }

    // ---------------------------------------------------------------- projection

    /**
     * The elements of {@code full} the identifier asks for, recursively into sequence items. This is the
     * definition of the response's content; {@link Plan} gives the same result without rendering what is not
     * asked for (WorklistResponseBuilderTest checks that they agree).
     */
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
                CodeFilter filter = CodeFilter.of(tag, keyItem);
                List<Attributes> seq = out.newSequence(tag);
                for (Attributes item : items) {
                    if (filter == null || filter.keeps(item)) {
                        seq.add(keyItem == null || keyItem.isEmpty() ? new Attributes(item) : project(item, keyItem));
                    }
                }
            } else {
                out.copyFrom(full, tag);
            }
        }
        return out;
    }

    static void applyCharacterSet(Attributes a, String itemCharset) {
        applyCharacterSet(a, itemCharset, null);
    }

    /**
     * Sets (0008,0005) from the content: none when all ASCII; else the querying console's own character set when it
     * is one the gateway answers in (ISO_IR 100, ISO_IR 192) and it can encode every value; else the item's own
     * charset when it can encode every value, else ISO_IR 100 when Latin-1 is enough, else ISO_IR 192.
     */
    static void applyCharacterSet(Attributes a, String itemCharset, String queryCharset) {
        int bits = a.stringCharBits();
        SpecificCharacterSet cs;
        if (bits > 0x7F && "ISO_IR 100".equals(queryCharset) && bits <= 0xFF) {
            cs = SpecificCharacterSet.bestFor("ISO_IR 100", bits);
        } else if (bits > 0x7F && "ISO_IR 192".equals(queryCharset)) {
            cs = SpecificCharacterSet.bestFor("ISO_IR 192", bits);
        } else {
            cs = SpecificCharacterSet.bestFor(itemCharset, bits);
        }
        if (cs.isDefault()) {
            a.remove(Tag.SpecificCharacterSet);
        } else {
            a.setString(Tag.SpecificCharacterSet, VR.CS, cs.term());
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
        boolean text = vr.kind() == VR.Kind.TEXT;
        if (isClean(value, text)) {
            return value.strip(); // the usual case: no copy when there is nothing to strip either
        }
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && !text) {
                sb.append('/');
            } else if (c == '\r' && !text && i + 1 < value.length() && value.charAt(i + 1) == '\n') {
                // a line break (HL7 \.br\) where the VR has none: one space
                sb.append(' ');
                i++;
            } else if (c < 0x20 && !(text && (c == '\r' || c == '\n' || c == '\f' || c == '\t'))) {
                sb.append(' ');
            } else {
                sb.append(c);
            }
        }
        return sb.toString().strip();
    }

    private static boolean isClean(String value, boolean text) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c == '\\' && !text) || c < 0x20) {
                return false;
            }
        }
        return true;
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

    /**
     * Every rendered attribute at its level, each sequence with one item: where a matching key is supported.
     * Initialised after the dataset levels ({@link #TOP}), which it renders.
     */
    static final Attributes STRUCTURE = structure();

    private static Attributes structure() {
        org.ofsep.mwl.core.domain.ProtocolCode code = new ProtocolCode("C", "S", "M");
        WorklistItem sample = new WorklistItem(1, "S", "R", "A", "1.2", "P", "F",
                new Patient("I", "O", "N", java.time.LocalDate.EPOCH, "O"), 1.0, code, "D",
                java.time.LocalDateTime.of(2000, 1, 1, 0, 0), "MR", "AE", "N", "D", "R", "N",
                org.ofsep.mwl.core.domain.SpsStatus.SCHEDULED, org.ofsep.mwl.core.domain.Decision.passThrough(code),
                List.of("A"), "C", "C", null, org.ofsep.mwl.core.domain.RequestedPriority.ROUTINE);
        Attributes a = new WorklistResponseBuilder().render(sample, null);
        // a code item has Code Value, or Long Code Value when the value is over 16 characters: both are keys
        a.getItem(Tag.RequestedProcedureCodeSequence, 0).setEmpty(Tag.LongCodeValue, VR.UC);
        a.getItem(Tag.ScheduledProcedureStepSequence, 0).getItem(Tag.ScheduledProtocolCodeSequence, 0)
                .setEmpty(Tag.LongCodeValue, VR.UC);
        a.getItem(Tag.RequestedProcedureCodeSequence, 0).setEmpty(Tag.CodingSchemeVersion, VR.SH);
        a.getItem(Tag.ScheduledProcedureStepSequence, 0).getItem(Tag.ScheduledProtocolCodeSequence, 0)
                .setEmpty(Tag.CodingSchemeVersion, VR.SH);
        Attributes reference = new Attributes();
        reference.setEmpty(Tag.ReferencedSOPClassUID, VR.UI);
        reference.setEmpty(Tag.ReferencedSOPInstanceUID, VR.UI);
        a.newSequence(Tag.ReferencedStudySequence).add(reference);
        return a;
    }
}
