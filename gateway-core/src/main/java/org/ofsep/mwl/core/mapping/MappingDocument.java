package org.ofsep.mwl.core.mapping;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.ofsep.mwl.core.domain.ExamCard;
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
        Policies policies,
        Map<CardName, ExamCardEntry> examCards,
        List<ProtocolCodeEntry> protocolCodes,
        Priors priors,
        StandardObservations standardObservations,
        List<TreatmentEntry> treatments,
        ClinicalText clinicalText,
        Review review) {

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

    /** The clinical situations of MS-CONTEXT. */
    public enum Situation { DIAGNOSIS, FOLLOW_UP, NEW_DMT, RELAPSE, PML_SUSPICION, INTERCURRENT }

    /**
     * Free-text rule: the context applies when one of {@code any} occurs and, when {@code with} is given, one
     * of {@code with} occurs too.
     */
    public record KeywordRule(Situation context, List<String> any, List<String> with) {
    }

    /**
     * The settings of the OFSEP rule table, one entry per rule under its id (the rules themselves and their order
     * are in {@code org.ofsep.mwl.core.decision.OfsepRules}). {@code nextMriMonths}: advisory months to the next
     * MRI when the rule applies (absent = no advice). {@code inject}: whether the site injects when Gd is optional.
     */
    public record Rules(
            @JsonProperty("DIAGNOSIS") Diagnosis diagnosis,
            @JsonProperty("NO_COMPARABLE_PRIOR") Plain noComparablePrior,
            @JsonProperty("NEW_DMT") NewDmt newDmt,
            @JsonProperty("REBASELINE") Rebaseline rebaseline,
            @JsonProperty("RELAPSE") OptionalGd relapse,
            @JsonProperty("PML_SUSPICION") PmlSuspicion pmlSuspicion,
            @JsonProperty("INTERCURRENT") OptionalGd intercurrent,
            @JsonProperty("PML_SCREENING") PmlScreening pmlScreening,
            @JsonProperty("ROUTINE_FOLLOW_UP") Plain routineFollowUp) {
    }

    /** A rule whose only setting is its advisory interval. */
    public record Plain(Integer nextMriMonths) {
    }

    public record Diagnosis(List<String> suggestedSequences, Integer nextMriMonths) {
    }

    public record NewDmt(Integer daysBefore, Integer daysAfter, Integer nextMriMonths) {
    }

    public record Rebaseline(Integer fromMonths, Integer toMonths, Integer nextMriMonths) {
    }

    /** A situation where Gd is optional: {@code inject} is the site's choice (absent = inject). */
    public record OptionalGd(Boolean inject, Integer nextMriMonths) {
    }

    public record PmlSuspicion(Boolean inject, List<String> addSequences, Integer nextMriMonths) {
    }

    /**
     * PML screening has its own interval advice, by JCV index band; {@code nextMriMonths} is bound only to be
     * refused with a pointer to those two keys.
     */
    public record PmlScreening(List<String> highRiskDmts, Integer minMonthsOnDmt, BigDecimal jcvPositivityCutoff,
                               BigDecimal highIndexThreshold, Integer intervalMonthsHighIndex,
                               Integer intervalMonthsOtherwise, List<String> suggestedSequences,
                               Integer nextMriMonths) {
    }

    /** The policies applied beside the rule table, each with its settings. */
    public record Policies(FieldStrength fieldStrength, Spine spine, Dose dose, SafetyAlerts safetyAlerts) {
    }

    /** Stations below {@code minimumTesla} do not take MS orders. */
    public record FieldStrength(BigDecimal minimumTesla) {
    }

    /** The entire spine is due when the last spine MRI is older than {@code intervalYears}. */
    public record Spine(Integer intervalYears) {
    }

    /** The Gd dose: macrocyclic agents only, {@code doseMmolPerKg} of {@code selectedAgent}. */
    public record Dose(BigDecimal doseMmolPerKg, String selectedAgent, List<Agent> agents) {
    }

    /** Alerts raised when Gd is injected: eGFR below {@code egfrBelow} (also pregnancy and weight, fixed). */
    public record SafetyAlerts(BigDecimal egfrBelow) {
    }

    public record Agent(String name, BigDecimal concentrationMmolPerMl) {
    }

    /** Cards of the mapping: the three OFSEP brain cards and the spine card. */
    public enum CardName {
        FULL, ROUTINE, PML_SHORT, SPINE;

        /** The mapping card of a brain exam card. */
        public static CardName of(ExamCard card) {
            return switch (card) {
                case FULL -> FULL;
                case ROUTINE -> ROUTINE;
                case PML_SHORT -> PML_SHORT;
            };
        }
    }

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
     * are not enough: a previous MRI with or without 3D FLAIR, pregnancy stated or denied, an allergy to gadolinium
     * stated or denied.
     */
    public record ClinicalText(List<String> priorMri3dFlairYes, List<String> priorMri3dFlairNo,
                               List<String> pregnancyYes, List<String> pregnancyNo,
                               List<String> gdAllergyYes, List<String> gdAllergyNo) {

        /** The phrases without the Gd allergy ones. */
        public ClinicalText(List<String> priorMri3dFlairYes, List<String> priorMri3dFlairNo,
                            List<String> pregnancyYes, List<String> pregnancyNo) {
            this(priorMri3dFlairYes, priorMri3dFlairNo, pregnancyYes, pregnancyNo, null, null);
        }
    }

    /** What makes a decision wait for a radiologist (mapping section {@code review}). */
    public enum ReviewCondition {
        /** Gd with an eGFR (or creatinine) safety alert. */
        RENAL_ALERT,
        /** Gd in pregnancy. */
        PREGNANCY,
        /** Gd without a usable weight for the dose. */
        NO_WEIGHT_FOR_GD,
        /** Gd left optional by the recommendations (relapse, suspected PML, intercurrent disease). */
        GD_OPTIONAL,
        /** The order's facts contradict each other. */
        CONFLICTING_FACTS,
        /** Gd for a patient the order says is allergic to gadolinium (AL1 or the clinical text). */
        GD_ALLERGY
    }

    /**
     * @param when                the conditions that put a decision TO_REVIEW (absent: all of them)
     * @param awaitingDescription the SPS description a console receives while a Gd decision awaits the
     *                            radiologist; {@code {card}} is replaced by the card ("FULL + MOELLE")
     */
    public record Review(List<ReviewCondition> when, String awaitingDescription) {
    }
}
