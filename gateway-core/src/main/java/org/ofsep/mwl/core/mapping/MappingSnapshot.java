package org.ofsep.mwl.core.mapping;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.ofsep.mwl.core.decision.policy.DosePolicy;
import org.ofsep.mwl.core.decision.policy.FieldStrengthPolicy;
import org.ofsep.mwl.core.decision.policy.SafetyAlertPolicy;
import org.ofsep.mwl.core.decision.policy.SpinePolicy;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.RuleId;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.domain.Vendor;
import org.ofsep.mwl.core.mapping.MappingDocument.CardName;
import org.ofsep.mwl.core.mapping.MappingDocument.Code;
import org.ofsep.mwl.core.mapping.MappingDocument.ExamCardEntry;
import org.ofsep.mwl.core.mapping.MappingDocument.ProtocolCodeEntry;
import org.ofsep.mwl.core.mapping.MappingDocument.Region;
import org.ofsep.mwl.core.mapping.MappingDocument.Situation;
import org.ofsep.mwl.core.order.OrderAction;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.OrderRejectedException;
import org.ofsep.mwl.core.order.ProcedureRequest;
import org.ofsep.mwl.core.priors.PriorRules;
import org.ofsep.mwl.core.text.TextMatch;

/**
 * A validated, immutable mapping: the {@link Mapping} contract for the order and DICOM services, plus the
 * views the OFSEP decision engine reads (regions, keyword rules, thresholds, agent, codes). Built only by
 * {@link MappingLoader}, so every instance passed validation.
 */
public final class MappingSnapshot implements Mapping {

    private static final org.slf4j.Logger UNKNOWN_STATION = org.slf4j.LoggerFactory.getLogger(MappingSnapshot.class);

    private final MappingDocument doc;
    private final String source;
    private final String sha256;
    private final List<Station> stations;
    private final Map<String, Station> byAeTitle;
    private final Map<String, OrderAction> orderControl;
    private final Map<String, Region> regions;
    private final Set<String> msProcedureCodes;
    private final List<Pattern> msKeywords;
    private final List<CompiledKeywordRule> keywordRules;
    private final Map<String, ProtocolCodeEntry> codes;
    private final FieldStrengthPolicy fieldStrengthPolicy;
    private final SpinePolicy spinePolicy;
    private final DosePolicy dosePolicy;
    private final SafetyAlertPolicy safetyAlertPolicy;
    private final PriorRules priorRules;

    /** A keyword rule with its patterns compiled once per snapshot. */
    public record CompiledKeywordRule(Situation context, List<Pattern> any, List<Pattern> with) {
        /** Whether the rule fires on text already passed through {@link TextMatch#normalize}. */
        public boolean matches(String normalizedText) {
            boolean hit = any.stream().anyMatch(p -> p.matcher(normalizedText).find());
            return hit && (with.isEmpty() || with.stream().anyMatch(p -> p.matcher(normalizedText).find()));
        }
    }

    /** @param content the file's bytes as loaded, for {@link #sha256} */
    MappingSnapshot(MappingDocument doc, String source, byte[] content) {
        this.doc = doc;
        this.source = source;
        this.sha256 = fileSha256(content);
        List<Station> list = new ArrayList<>();
        Map<String, Station> byAe = new LinkedHashMap<>();
        for (var s : doc.stations()) {
            Station st = new Station(s.name(), s.aeTitle().trim(), s.vendor(), s.model(), s.fieldStrengthTesla(),
                    s.modality() == null ? "MR" : s.modality().trim(), blankToNull(s.host()),
                    Boolean.TRUE.equals(s.fuzzyNames()));
            list.add(st);
            byAe.put(st.aeTitle(), st);
        }
        this.priorRules = doc.priors() == null ? PriorRules.NONE : priorRules(doc.priors()).withMinimumTesla(
                doc.policies() == null || doc.policies().fieldStrength() == null ? null
                        : doc.policies().fieldStrength().minimumTesla());
        this.stations = List.copyOf(list);
        this.byAeTitle = Map.copyOf(byAe);
        this.orderControl = Map.copyOf(doc.orderControl());
        this.regions = doc.procedureRegions().codes() == null ? Map.of()
                : doc.procedureRegions().codes().entrySet().stream()
                        .collect(Collectors.toUnmodifiableMap(e -> e.getKey().trim(), Map.Entry::getValue));
        this.msProcedureCodes = doc.msOrders().procedureCodes() == null ? Set.of()
                : doc.msOrders().procedureCodes().stream().map(String::trim).collect(Collectors.toUnmodifiableSet());
        this.msKeywords = doc.msOrders().keywords() == null ? List.of()
                : doc.msOrders().keywords().stream().map(TextMatch::wordPattern).toList();
        this.keywordRules = doc.keywordRules() == null ? List.of() : doc.keywordRules().stream()
                .map(k -> new CompiledKeywordRule(k.context(), k.any().stream().map(TextMatch::wordPattern).toList(),
                        k.with() == null ? List.of() : k.with().stream().map(TextMatch::wordPattern).toList()))
                .toList();
        Map<String, ProtocolCodeEntry> c = new LinkedHashMap<>();
        for (var e : doc.protocolCodes()) {
            c.put(MappingValidator.key(e.card(), e.contrast()), e);
        }
        this.codes = Map.copyOf(c);
        var p = doc.policies();
        this.fieldStrengthPolicy = new FieldStrengthPolicy(p.fieldStrength().minimumTesla());
        this.spinePolicy = new SpinePolicy(p.spine().intervalYears());
        var agent = selectedAgent();
        this.dosePolicy = new DosePolicy(p.dose().doseMmolPerKg(),
                new DosePolicy.Agent(agent.name(), agent.concentrationMmolPerMl()));
        this.safetyAlertPolicy = new SafetyAlertPolicy(p.safetyAlerts().egfrBelow());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** The document as loaded (read-only use). */
    public MappingDocument document() {
        return doc;
    }

    /** The file this snapshot was loaded from, as given to the loader. */
    public String source() {
        return source;
    }

    /**
     * SHA-256 of the file's bytes as loaded (hex): which mapping decided, as
     * {@code sha256sum mapping.yaml} prints it, for the audit trail of each reload.
     */
    public String sha256() {
        return sha256;
    }


    /** SHA-256 of a mapping file's bytes (hex), as {@code sha256sum} prints it. */
    public static String fileSha256(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The decision engine needs the full snapshot; any {@link Mapping} built by the loader is one. */
    public static MappingSnapshot of(Mapping mapping) {
        if (mapping instanceof MappingSnapshot s) {
            return s;
        }
        throw new IllegalArgumentException("the OFSEP decision needs a mapping loaded by MappingLoader, got "
                + (mapping == null ? "null" : mapping.getClass().getName()));
    }

    @Override
    public List<Station> stations() {
        return stations;
    }

    @Override
    public Optional<Station> station(String aeTitle) {
        return aeTitle == null ? Optional.empty() : Optional.ofNullable(byAeTitle.get(aeTitle.trim()));
    }

    @Override
    public Station selectStation(OrderMessage order, ProcedureRequest procedure) {
        Optional<Station> named = station(procedure.stationAeTitle());
        if (named.isPresent()) {
            return named.get();
        }
        if (procedure.stationAeTitle() != null && !procedure.stationAeTitle().isBlank()) {
            // the RIS named a station the mapping does not have: the rules place the step, and the log says so
            UNKNOWN_STATION.warn("IPC-9 names station {}, which the mapping does not configure: the station rules"
                    + " place the step", procedure.stationAeTitle().trim());
        }
        var sr = doc.stationRules();
        if (sr != null && sr.rules() != null) {
            for (var r : sr.rules()) {
                String v = procedure.fields().get(r.field());
                if (v != null && v.trim().equals(r.value().trim())) {
                    return byAeTitle.get(r.station().trim());
                }
            }
        }
        if (sr != null && sr.defaultStation() != null) {
            return byAeTitle.get(sr.defaultStation().trim());
        }
        throw new OrderRejectedException("no station rule matches this order and the mapping has no default station",
                procedure.stationAeTitle() != null ? "IPC-9" : null);
    }

    @Override
    public Optional<OrderAction> orderAction(String orderControl, String orderStatus) {
        return Optional.ofNullable(this.orderControl.get(orderControlKey(orderControl, orderStatus)));
    }

    /** The mapping key of an ORC-1/ORC-5 pair: "NW_SC", or "NW_" when ORC-5 is empty. */
    public static String orderControlKey(String orderControl, String orderStatus) {
        return norm(orderControl) + "_" + norm(orderStatus);
    }

    private static String norm(String s) {
        return s == null ? "" : s.trim().toUpperCase(Locale.ROOT);
    }

    // ---- views for the decision engine ----

    /** Imaged region of a requested procedure code (OBR-4.1); the default region for an unlisted code. */
    public Region region(ProtocolCode procedureCode) {
        Region r = procedureCode == null || procedureCode.value() == null ? null
                : regions.get(procedureCode.value().trim());
        return r != null ? r : doc.procedureRegions().defaultRegion();
    }

    /** Whether the code is one the mapping lists (procedureRegions.codes), not one the default region covers. */
    public boolean listsRegionOf(ProtocolCode procedureCode) {
        return procedureCode != null && procedureCode.value() != null && regions.containsKey(procedureCode.value().trim());
    }

    public boolean isMsProcedureCode(ProtocolCode procedureCode) {
        return procedureCode != null && procedureCode.value() != null
                && msProcedureCodes.contains(procedureCode.value().trim());
    }

    /** Whether one of the MS keywords occurs (whole word, case and accents ignored) in the normalized text. */
    public boolean namesMs(String normalizedText) {
        return msKeywords.stream().anyMatch(p -> p.matcher(normalizedText).find());
    }

    /** The msOrders.keywords as patterns on normalized text ({@link TextMatch#wordPattern}). */
    public List<Pattern> msKeywordPatterns() {
        return msKeywords;
    }

    public boolean isMsDiagnosis(String icd10) {
        if (icd10 == null || doc.msOrders().diagnosisCodes() == null) {
            return false;
        }
        String c = icd10.trim().toUpperCase(Locale.ROOT).replace(".", "");
        return doc.msOrders().diagnosisCodes().stream()
                .map(d -> d.trim().toUpperCase(Locale.ROOT).replace(".", ""))
                .anyMatch(c::startsWith);
    }

    /** Whether orders of this modality (null = MR) may be MS orders. */
    public boolean decidesModality(String modality) {
        List<String> m = doc.msOrders().modalities();
        String mod = modality == null || modality.isBlank() ? "MR" : modality.trim();
        return m == null || m.isEmpty() ? "MR".equalsIgnoreCase(mod) : m.stream().anyMatch(mod::equalsIgnoreCase);
    }

    public List<CompiledKeywordRule> keywordRules() {
        return keywordRules;
    }

    public MappingDocument.ObservationCodes observationCodes() {
        return doc.observations();
    }

    /** The settings of the OFSEP rule table, one entry per rule. */
    public MappingDocument.Rules rules() {
        return doc.rules();
    }

    /** The settings of the policies beside the rule table (field strength, spine, dose, safety alerts). */
    public MappingDocument.Policies policies() {
        return doc.policies();
    }

    /** Whether the site injects Gd when this rule makes it optional (default: inject). */
    public boolean injects(RuleId rule) {
        var r = doc.rules();
        Boolean b = switch (rule) {
            case RELAPSE -> r.relapse() == null ? null : r.relapse().inject();
            case PML_SUSPICION -> r.pmlSuspicion() == null ? null : r.pmlSuspicion().inject();
            case INTERCURRENT -> r.intercurrent() == null ? null : r.intercurrent().inject();
            default -> throw new IllegalArgumentException(rule + " does not make Gd optional");
        };
        return b == null || b;
    }

    /** The agent in use ({@code policies.dose.selectedAgent}). */
    public MappingDocument.Agent selectedAgent() {
        var dose = doc.policies().dose();
        String name = dose.selectedAgent().trim();
        return dose.agents().stream().filter(a -> a.name().trim().equals(name)).findFirst().orElseThrow();
    }

    public BigDecimal doseMmolPerKg() {
        return doc.policies().dose().doseMmolPerKg();
    }

    public FieldStrengthPolicy fieldStrengthPolicy() {
        return fieldStrengthPolicy;
    }

    public SpinePolicy spinePolicy() {
        return spinePolicy;
    }

    public DosePolicy dosePolicy() {
        return dosePolicy;
    }

    public SafetyAlertPolicy safetyAlertPolicy() {
        return safetyAlertPolicy;
    }

    public ExamCardEntry card(CardName card) {
        return doc.examCards().get(card);
    }

    /** The OFSEP default code for a (card, contrast). */
    public ProtocolCode defaultCode(CardName card, boolean contrast) {
        ProtocolCodeEntry e = entry(card, contrast);
        return toCode(e.code());
    }

    /** A (card, contrast) of {@code protocolCodes}: what a protocol code stands for. */
    public record CodedProtocol(CardName card, boolean contrast) {
    }

    /**
     * The (card, contrast) entries of {@code protocolCodes} that list this code, as their OFSEP code or as a vendor's
     * code: same Code Value and Coding Scheme Designator (compared as the mapping writes them, the scheme ignoring
     * case); empty when none does. Several entries when the mapping gives the same code to more than one (e.g. one
     * console program for FULL with and without Gd).
     */
    public List<CodedProtocol> protocolsOf(ProtocolCode code) {
        if (code == null || code.value() == null || code.scheme() == null) {
            return List.of();
        }
        String value = code.value().trim();
        String scheme = code.scheme().trim();
        List<CodedProtocol> out = new ArrayList<>();
        for (ProtocolCodeEntry e : codes.values()) {
            boolean listed = sameCode(e.code(), value, scheme);
            if (!listed && e.vendors() != null) {
                listed = e.vendors().values().stream().anyMatch(c -> sameCode(c, value, scheme));
            }
            if (listed) {
                out.add(new CodedProtocol(e.card(), e.contrast()));
            }
        }
        return List.copyOf(out);
    }

    private static boolean sameCode(Code c, String value, String scheme) {
        return c != null && c.value() != null && c.scheme() != null && c.value().trim().equals(value)
                && c.scheme().trim().equalsIgnoreCase(scheme);
    }

    /** The per-vendor override codes for a (card, contrast), possibly empty. */
    public Map<Vendor, ProtocolCode> vendorCodes(CardName card, boolean contrast) {
        ProtocolCodeEntry e = entry(card, contrast);
        Map<Vendor, ProtocolCode> out = new EnumMap<>(Vendor.class);
        if (e.vendors() != null) {
            e.vendors().forEach((v, c) -> out.put(v, toCode(c)));
        }
        return out;
    }

    private ProtocolCodeEntry entry(CardName card, boolean contrast) {
        ProtocolCodeEntry e = codes.get(MappingValidator.key(card, contrast));
        if (e == null) {
            // ROUTINE and PML_SHORT are never injected; the validator guarantees the other four exist
            throw new IllegalStateException("no protocol code for " + MappingValidator.key(card, contrast));
        }
        return e;
    }

    private static ProtocolCode toCode(Code c) {
        return new ProtocolCode(c.value().trim(), c.scheme().trim(), c.meaning().trim());
    }

    /** Advisory months to the next MRI when this rule applies ({@code rules.<ID>.nextMriMonths}), or null. */
    public Integer nextMriMonths(RuleId rule) {
        var r = doc.rules();
        return switch (rule) {
            case DIAGNOSIS -> r.diagnosis() == null ? null : r.diagnosis().nextMriMonths();
            case NO_COMPARABLE_PRIOR -> r.noComparablePrior() == null ? null : r.noComparablePrior().nextMriMonths();
            case NEW_DMT -> r.newDmt().nextMriMonths();
            case REBASELINE -> r.rebaseline().nextMriMonths();
            case RELAPSE -> r.relapse() == null ? null : r.relapse().nextMriMonths();
            case PML_SUSPICION -> r.pmlSuspicion() == null ? null : r.pmlSuspicion().nextMriMonths();
            case INTERCURRENT -> r.intercurrent() == null ? null : r.intercurrent().nextMriMonths();
            case ROUTINE_FOLLOW_UP -> r.routineFollowUp() == null ? null : r.routineFollowUp().nextMriMonths();
            case PML_SCREENING, NOT_OFSEP -> null; // PML screening advises by JCV index band
        };
    }

    private static PriorRules priorRules(MappingDocument.Priors p) {
        if (p == null) {
            return PriorRules.NONE;
        }
        return PriorRules.compile(studyPatterns(p.brain()), studyPatterns(p.spine()),
                p.flair3d() == null ? null : p.flair3d().vendors(),
                p.flair3d() == null ? null : p.flair3d().flairWithMrAcquisitionType3d());
    }

    private static PriorRules.StudyPatterns studyPatterns(MappingDocument.PriorStudyPatterns p) {
        return p == null ? PriorRules.StudyPatterns.NONE
                : PriorRules.StudyPatterns.of(p.bodyParts(), p.descriptions(), p.procedureCodes());
    }

    /** The {@code priors:} section compiled: which PACS studies count; {@code PriorRules.NONE} when absent. */
    public PriorRules priorRules() {
        return priorRules;
    }

    /** Whether the mapping has a {@code priors:} section. */
    public boolean hasPriorRules() {
        return doc.priors() != null;
    }

    /** The default step description while a Gd decision awaits the radiologist. */
    public static final String DEFAULT_AWAITING_DESCRIPTION = "OFSEP {card} - sans Gd - attente radiologue";

    /** The conditions that put a decision TO_REVIEW: the mapping's {@code review.when}, all of them when absent. */
    public Set<MappingDocument.ReviewCondition> reviewWhen() {
        MappingDocument.Review r = doc.review();
        if (r == null || r.when() == null) {
            return java.util.EnumSet.allOf(MappingDocument.ReviewCondition.class);
        }
        return r.when().isEmpty() ? java.util.EnumSet.noneOf(MappingDocument.ReviewCondition.class)
                : java.util.EnumSet.copyOf(r.when());
    }

    /** The step description template while a Gd decision awaits the radiologist ({@code {card}} placeholder). */
    public String awaitingDescription() {
        MappingDocument.Review r = doc.review();
        return r == null || r.awaitingDescription() == null || r.awaitingDescription().isBlank()
                ? DEFAULT_AWAITING_DESCRIPTION : r.awaitingDescription().trim();
    }
}
