package org.ofsep.mwl.core.mapping;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.ofsep.mwl.core.domain.Vendor;
import org.ofsep.mwl.core.order.OrderAction;

/**
 * The mapping YAML exactly as the admin wrote it, bound by Jackson (unknown keys are errors). Nothing here is
 * checked beyond the types: {@link MappingValidator} checks the meaning and {@link MappingSnapshot} serves it.
 * Every field is nullable so that a missing one is reported with its path instead of a binding failure.
 * Field by field documentation: docs/mapping.md.
 */
public record MappingDocument(
        List<StationEntry> stations,
        StationRules stationRules,
        Map<String, OrderAction> orderControl,
        MsOrders msOrders,
        ProcedureRegions procedureRegions,
        ObservationCodes observations,
        List<KeywordRule> keywordRules,
        Rules rules,
        Map<Situation, Boolean> contrastPolicy,
        Contrast contrast,
        Map<CardName, ExamCardEntry> examCards,
        List<ProtocolCodeEntry> protocolCodes,
        Map<RuleName, Integer> nextMriMonths,
        Priors priors,
        StandardObservations standardObservations,
        List<TreatmentEntry> treatments,
        ClinicalText clinicalText) {

    /** One scanner. */
    public record StationEntry(String name, String aeTitle, Vendor vendor, String model, Double fieldStrengthTesla,
                               String modality, String host, Boolean fuzzyNames) {
    }

    /** Ordered station rules and the default station (an AE title). */
    public record StationRules(List<StationRule> rules, @JsonProperty("default") String defaultStation) {
    }

    /** "When HL7 field {@code field} equals {@code equals}, schedule on station {@code station}". */
    public record StationRule(String field, @JsonProperty("equals") String value, String station) {
    }

    /** How an MS order is recognised. */
    public record MsOrders(List<String> procedureCodes, List<String> diagnosisCodes, List<String> keywords,
                           List<String> modalities) {
    }

    /** Imaged regions of a requested procedure. */
    public enum Region {
        BRAIN, SPINE, BRAIN_AND_SPINE;

        public boolean brain() {
            return this != SPINE;
        }

        public boolean spine() {
            return this != BRAIN;
        }
    }

    public record ProcedureRegions(Region defaultRegion, Map<String, Region> codes) {
    }

    /** A coded OBX identifier (OBX-3.1 and OBX-3.3). */
    public record CodedObservation(String code, String codingSystem) {
    }

    /** OBX-3 identifiers of the clinical context; all share {@code codingSystem} except the weight. */
    public record ObservationCodes(String codingSystem, String msContext, String dmt, String dmtStart,
                                   String priorMri, String priorMri3dFlair, String lastSpineMri, String jcvStatus,
                                   String jcvIndex, String egfr, String pregnant, CodedObservation weight) {
    }

    /** The OFSEP 2020 decision rules, in the order they are tried; the one that decides is reported. */
    public enum RuleName {
        DIAGNOSIS, NO_COMPARABLE_PRIOR, NEW_DMT, REBASELINE, RELAPSE, PML_SUSPICION, INTERCURRENT, PML_SCREENING,
        ROUTINE_FOLLOW_UP
    }

    /** The clinical situations of MS-CONTEXT. */
    public enum Situation { DIAGNOSIS, FOLLOW_UP, NEW_DMT, RELAPSE, PML_SUSPICION, INTERCURRENT }

    /**
     * Free-text rule: the context applies when one of {@code any} occurs and, when {@code with} is given, one
     * of {@code with} occurs too.
     */
    public record KeywordRule(Situation context, List<String> any, List<String> with) {
    }

    public record Rules(NewDmt newDmt, Rebaseline rebaseline, PmlScreening pmlScreening, Diagnosis diagnosis,
                        PmlSuspicion pmlSuspicion, Integer spineIntervalYears, BigDecimal minFieldStrengthTesla,
                        BigDecimal egfrAlertBelow) {
    }

    public record NewDmt(Integer daysBefore, Integer daysAfter) {
    }

    public record Rebaseline(Integer fromMonths, Integer toMonths) {
    }

    public record PmlScreening(List<String> highRiskDmts, Integer minMonthsOnDmt, BigDecimal jcvPositivityCutoff,
                               BigDecimal highIndexThreshold, Integer intervalMonthsHighIndex,
                               Integer intervalMonthsOtherwise, List<String> suggestedSequences) {
    }

    public record Diagnosis(List<String> suggestedSequences) {
    }

    public record PmlSuspicion(List<String> addSequences) {
    }

    public record Contrast(BigDecimal doseMmolPerKg, String selectedAgent, List<Agent> agents) {
    }

    public record Agent(String name, BigDecimal concentrationMmolPerMl) {
    }

    /** Cards of the mapping: the three OFSEP brain cards and the spine card. */
    public enum CardName { FULL, ROUTINE, PML_SHORT, SPINE }

    public record ExamCardEntry(Integer budgetMinutes, List<Sequence> sequences) {
    }

    /**
     * @param contrastOnly acquired only when Gd is injected (e.g. 3D Gd-enhanced T1)
     * @param optional     not required; does not count in the time budget
     */
    public record Sequence(String name, BigDecimal minutes, Boolean optional, Boolean contrastOnly) {
    }

    public record Code(String value, String scheme, String meaning) {
    }

    public record ProtocolCodeEntry(CardName card, Boolean contrast, Code code, Map<Vendor, Code> vendors) {
    }

    /**
     * Which previous studies from the PACS count (section {@code priors:}, optional): brain and spinal cord
     * studies, and what a 3D FLAIR series looks like on each vendor.
     */
    public record Priors(PriorStudyPatterns brain, PriorStudyPatterns spine, Flair3d flair3d) {
    }

    /** A study is of this kind when a series' Body Part Examined, the Study Description or a procedure code matches. */
    public record PriorStudyPatterns(List<String> bodyParts, List<String> descriptions, List<String> procedureCodes) {
    }

    /**
     * @param vendors                       Series Description / Protocol Name patterns per vendor
     * @param flairWithMrAcquisitionType3d  words (e.g. FLAIR) that make a 3D FLAIR when MR Acquisition Type is 3D
     */
    public record Flair3d(Map<Vendor, List<String>> vendors, List<String> flairWithMrAcquisitionType3d) {
    }

    /**
     * Standard observations (LOINC codes with UCUM units) read besides the 99OFSEP codes, one entry per concept.
     * Every concept may list several codes; a unit not listed is never guessed.
     */
    public record StandardObservations(ObservationConcept weight, ObservationConcept egfr,
                                       ObservationConcept creatinine, ObservationConcept pregnancy,
                                       ObservationConcept hcg) {
    }

    /**
     * @param codes             OBX-3 codes of the concept, each with its coding system (OBX-3.3)
     * @param units             accepted OBX-6 units and their factor to the concept's base unit
     * @param defaultUnit       the unit assumed when OBX-6 is empty (null: a value without a unit is not used)
     * @param positiveAtOrAbove for a quantitative test (hCG): the value, in the base unit, from which it is positive
     */
    public record ObservationConcept(List<CodedObservation> codes, List<UnitEntry> units, String defaultUnit,
                                     BigDecimal positiveAtOrAbove) {
    }

    /** One accepted unit: value in the base unit = value x multiplyBy / divideBy (both default to 1). */
    public record UnitEntry(String unit, BigDecimal multiplyBy, BigDecimal divideBy) {
    }

    /**
     * One disease-modifying treatment: its generic name, the names people write (brands, abbreviations) and
     * whether it carries the PML risk that the OFSEP 2020 short PML protocol screens for.
     */
    public record TreatmentEntry(String generic, List<String> names, Boolean pmlRisk) {
    }

    /**
     * Phrases of the clinical free text, French and English (case and accents ignored), when the built-in ones
     * are not enough: a previous MRI with or without 3D FLAIR, pregnancy stated or denied.
     */
    public record ClinicalText(List<String> priorMri3dFlairYes, List<String> priorMri3dFlairNo,
                               List<String> pregnancyYes, List<String> pregnancyNo) {
    }
}
