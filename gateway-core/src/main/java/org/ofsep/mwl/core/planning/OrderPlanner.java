package org.ofsep.mwl.core.planning;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.ofsep.mwl.core.decision.DecisionEngine;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.core.domain.PersonNames;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.facts.FactExtractor;
import org.ofsep.mwl.core.mapping.Mapping;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.order.FreeText;
import org.ofsep.mwl.core.order.OrderAction;
import org.ofsep.mwl.core.order.OrderChecks;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.OrderRejectedException;
import org.ofsep.mwl.core.order.ProcedureRequest;
import org.ofsep.mwl.core.service.ItemTexts;
import org.ofsep.mwl.core.service.UidGenerator;

/**
 * Plans what an order from the RIS does to the worklist, without touching the store (IHE SWF RAD-4/RAD-13,
 * RAD-12): maps (ORC-1, ORC-5) to an {@link OrderAction}, groups the procedures into requested procedures, keys
 * each step so a resent order finds it again, matches them to the steps already stored, applies the status rules,
 * chooses the station, asks the {@link DecisionEngine}, and builds the worklist items with their texts. The store
 * (gateway-store) reads what the plan needs through a {@link StoreView} inside its transaction and applies the
 * {@link Plan}; {@code decide} and the benchmarks use the same planner against what they have.
 *
 * <p>Idempotency: every step has a key inside its order (placer order number + accession + requested procedure
 * + SPS ID, or the procedure code and its rank when the RIS sends no SPS ID), unique in the database.
 */
public final class OrderPlanner {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OrderPlanner.class);

    /** Steps that are still to be performed or under way: their demographics follow patient updates. */
    public static final Set<SpsStatus> PENDING =
            java.util.Collections.unmodifiableSet(EnumSet.of(SpsStatus.SCHEDULED, SpsStatus.STARTED));
    /** Steps an order refresh must not touch: the exam is under way or over. */
    private static final Set<SpsStatus> PERFORMED = EnumSet.of(SpsStatus.STARTED, SpsStatus.COMPLETED,
            SpsStatus.DISCONTINUED);

    private final Supplier<Mapping> mapping;
    private final DecisionEngine engine;
    private final UidGenerator uids;
    private final Clock clock;
    private final ItemTexts texts;
    private final OrderChecks checks;
    private volatile CachedPriors cachedPriors;

    /**
     * What the PACS already said about a patient, from memory only (the prior lookups' per-patient cache): read
     * at intake so that an XO or a second order within the cache lifetime is decided with it at once. Must never
     * wait for the PACS; returns null when nothing fresh is known.
     */
    @FunctionalInterface
    public interface CachedPriors {
        org.ofsep.mwl.core.domain.PacsPriors cached(Mapping mapping, OrderMessage order, ProcedureRequest procedure,
                                                   String studyInstanceUid, java.time.LocalDate reference);
    }

    /** Sets where cached PACS answers are read at intake (null: none). */
    public OrderPlanner cachedPriors(CachedPriors source) {
        this.cachedPriors = source;
        return this;
    }

    /**
     * @param mapping supplies the mapping snapshot in force (hot reload swaps it); read once per order
     * @param texts   builds SPS description, contrast agent, comments and alerts from the decision
     * @param checks  the receiving edge's field checks (gateway-hl7: lengths by HL7 field)
     */
    public OrderPlanner(Supplier<Mapping> mapping, DecisionEngine engine, UidGenerator uids, Clock clock,
                        ItemTexts texts, OrderChecks checks) {
        this.mapping = Objects.requireNonNull(mapping);
        this.engine = Objects.requireNonNull(engine);
        this.uids = Objects.requireNonNull(uids);
        this.clock = Objects.requireNonNull(clock);
        this.texts = Objects.requireNonNull(texts);
        this.checks = Objects.requireNonNull(checks);
    }

    public Clock clock() {
        return clock;
    }

    /** A stored step with the key that makes a resent order find it again. */
    public record Step(WorklistItem item, String stepKey) {
    }

    /** What the planner reads from the store, inside the transaction that applies the plan. */
    public interface StoreView {

        /** The steps stored for that placer order number, in storage order. */
        List<Step> stepsOfOrder(String placerOrderNumber);

        /** The patient's completed exams (the history the decision reads). */
        List<PriorExam> history(String patientId);

        /** The next number of the gateway's ID sequence, unique across gateway instances. */
        long nextGeneratedId();

        /** The day that order was first written, as its stored steps keep it, or null (none kept it). */
        default java.time.LocalDate orderWrittenOn(String placerOrderNumber) {
            return null;
        }
    }

    /** The mapping in force now. */
    public Mapping currentMapping() {
        return mapping.get();
    }

    /** An accepted order: its action and the mapping snapshot it is planned with. */
    public record Intake(OrderMessage order, OrderAction action, Mapping mapping) {
    }

    /** One change to the stored steps; {@link Plan#changes()} keeps the order of the result. */
    public sealed interface Change {
        /** The item after the change (without its database id for an insert). */
        WorklistItem item();
    }

    /** A new step. */
    public record Insert(WorklistItem item, String stepKey) implements Change {
    }

    /** A stored step rewritten (a resent NW or an XO). */
    public record Update(WorklistItem item, String stepKey) implements Change {
    }

    /** A stored step moved to another status; {@code item} already carries it. */
    public record SetStatus(WorklistItem item, SpsStatus status) implements Change {
    }

    /** A stored step left as it is (performed already, or the status change is not allowed from where it is). */
    public record Keep(WorklistItem item) implements Change {
    }

    /**
     * What an order does to the stored steps: the changes it makes; {@code orderWrittenOn} the day its text's
     * relative dates were counted from (the day the order was first written, kept with a new step), or null.
     */
    public record Plan(OrderAction action, List<Change> changes, java.time.LocalDate orderWrittenOn) {
        public Plan {
            changes = List.copyOf(changes);
        }

        public Plan(OrderAction action, List<Change> changes) {
            this(action, changes, null);
        }
    }

    /**
     * Accepts an order: maps its control to an action with the mapping in force and checks what that action
     * needs.
     *
     * @throws OrderRejectedException when the control pair is not mapped or a required value is missing or
     *                                invalid
     */
    public Intake accept(OrderMessage order) {
        String control = trim(order.orderControl());
        if (control.isEmpty()) {
            throw new OrderRejectedException("Order control (ORC-1) is missing", "ORC-1");
        }
        String status = trim(order.orderStatus());
        Mapping m = mapping.get();
        OrderAction action = m.orderAction(control, status).orElseThrow(() -> new OrderRejectedException(
                "No order action is mapped for ORC-1/ORC-5 pair " + control + "_" + status
                        + (status.isEmpty() ? " (ORC-5 empty)" : ""), "ORC-1"));
        return accepted(order, action, m);
    }

    /**
     * Accepts an order as if it were new (whatever its control): what {@code decide} shows, the decision the
     * gateway would make for these procedures.
     */
    public Intake acceptAsNew(OrderMessage order) {
        return accepted(order, OrderAction.SCHEDULE, mapping.get());
    }

    private Intake accepted(OrderMessage order, OrderAction action, Mapping m) {
        if (trim(order.placerOrderNumber()).isEmpty()) {
            throw new OrderRejectedException("Placer order number (ORC-2) is missing", "ORC-2");
        }
        checks.order(order);
        if (action == OrderAction.SCHEDULE || action == OrderAction.UPDATE) {
            validateForScheduling(order);
        }
        return new Intake(order, action, m);
    }

    private void validateForScheduling(OrderMessage order) {
        Patient p = order.patient();
        if (p == null || trim(p.id()).isEmpty()) {
            throw new OrderRejectedException("Patient ID (PID-3) is missing", "PID-3");
        }
        if (order.procedures().isEmpty()) {
            throw new OrderRejectedException("The order has no requested procedure (OBR)", "OBR");
        }
        for (ProcedureRequest proc : order.procedures()) {
            ProtocolCode code = proc.procedureCode();
            if (code == null || trim(code.value()).isEmpty()) {
                throw new OrderRejectedException("Universal service identifier (OBR-4) is missing", "OBR-4");
            }
        }
        checks.scheduling(order);
        for (ProcedureRequest proc : order.procedures()) {
            if (proc.studyInstanceUid() != null && !proc.studyInstanceUid().isBlank()
                    && !UidGenerator.isValid(proc.studyInstanceUid().trim())) {
                throw new OrderRejectedException("Study Instance UID is not a valid DICOM UID", "ZDS-1");
            }
        }
    }

    /**
     * Plans an accepted order against what is stored.
     *
     * @throws OrderRejectedException when the order cannot apply to what is stored (unknown or canceled order
     *                                for XO/CA, placer order number of another patient, station below 1.5 T...)
     */
    public Plan plan(Intake intake, StoreView store) {
        if (intake.action() == OrderAction.SCHEDULE || intake.action() == OrderAction.UPDATE) {
            return schedule(intake, store);
        }
        List<Change> changes = switch (intake.action()) {
            case START -> changeStatus(intake.order(), store, SpsStatus.STARTED);
            case COMPLETE -> changeStatus(intake.order(), store, SpsStatus.COMPLETED);
            case CANCEL -> changeStatus(intake.order(), store, SpsStatus.CANCELED);
            case DISCONTINUE -> changeStatus(intake.order(), store, SpsStatus.DISCONTINUED);
            default -> throw new IllegalStateException(intake.action().name());
        };
        return new Plan(intake.action(), changes);
    }

    /**
     * The order with the day it was written as its steps keep it when that is earlier: a change (XO) or a resend
     * counts the text's relative dates ("il y a 5 mois") from the day the order was first written, not from the day
     * it was changed (its own ORC-9), as the decision of the new order did.
     */
    public static OrderMessage firstWritten(OrderMessage order, java.time.LocalDate stored) {
        if (stored == null || order.writtenOn() != null && !stored.isBefore(order.writtenOn())) {
            return order;
        }
        return order.withWrittenOn(stored);
    }

    /**
     * SCHEDULE (NW) and UPDATE (XO): create or refresh every step the message describes, the text's relative dates
     * counted from the day the order was first written ({@link Plan#orderWrittenOn()}).
     */
    private Plan schedule(Intake intake, StoreView store) {
        OrderMessage order = intake.order();
        OrderAction action = intake.action();
        Instant now = clock.instant();
        String placer = trim(order.placerOrderNumber());
        List<Step> existing = store.stepsOfOrder(placer);
        if (!existing.isEmpty()) {
            order = firstWritten(order, store.orderWrittenOn(placer));
        }
        if (action == OrderAction.UPDATE) {
            if (existing.isEmpty()) {
                throw new OrderRejectedException("Unknown order: no worklist entry has placer order number "
                        + placer + " (ORC-2); " + trim(order.orderControl()) + " not applied", "ORC-2");
            }
            if (existing.stream().allMatch(s -> s.item().status() == SpsStatus.CANCELED)) {
                throw new OrderRejectedException("Order " + placer + " (ORC-2) is canceled; "
                        + trim(order.orderControl()) + " not applied", "ORC-2");
            }
        }
        String patientId = order.patient().id().trim();
        if (existing.stream().anyMatch(s -> !patientId.equals(s.item().patient().id()))) {
            // a placer order number reused for someone else: never move an exam to another patient silently
            // (a patient change arrives as ADT^A40 merge, which moves the items itself). A new order reusing it
            // is a duplicate key (HL7 205); a change of "this patient's order" names an order this patient does
            // not have (204).
            throw new OrderRejectedException("Placer order number " + placer + " (ORC-2) already belongs to "
                    + "another patient; " + trim(order.orderControl()) + " not applied", "ORC-2",
                    action == OrderAction.UPDATE ? OrderRejectedException.Kind.UNKNOWN_KEY
                            : OrderRejectedException.Kind.DUPLICATE_KEY);
        }
        Map<String, Step> byKey = new HashMap<>();
        existing.forEach(s -> byKey.put(s.stepKey(), s));
        List<PriorExam> history = store.history(patientId);

        List<List<Keyed>> groups = groupByRequestedProcedure(order.procedures());
        List<Keyed> unmatched = new ArrayList<>();
        Set<Long> used = new HashSet<>();
        for (List<Keyed> group : groups) {
            for (Keyed k : group) {
                k.existing = byKey.get(k.stepKey);
                if (k.existing == null) {
                    unmatched.add(k);
                } else {
                    used.add(k.existing.item().id());
                }
            }
        }
        if (action == OrderAction.UPDATE && !unmatched.isEmpty()) {
            // XO that changed an identifying field (accession, requested procedure ID): when as many live steps
            // are left unmatched as the message has unmatched procedures, they are the same steps, in order
            List<Step> left = existing.stream().filter(s -> !used.contains(s.item().id()))
                    .filter(s -> s.item().status() != SpsStatus.CANCELED).toList();
            if (left.size() == unmatched.size()) {
                for (int i = 0; i < left.size(); i++) {
                    unmatched.get(i).existing = left.get(i);
                }
            }
        }
        List<Change> changes = new ArrayList<>();
        for (List<Keyed> group : groups) {
            List<Step> matched = new ArrayList<>();
            for (Keyed k : group) {
                if (k.existing != null) {
                    matched.add(k.existing);
                }
            }
            ProcedureRequest first = group.get(0).proc;
            String rpId = firstNonBlank(first.requestedProcedureId(),
                    matched.isEmpty() ? null : matched.get(0).item().requestedProcedureId());
            if (rpId == null) {
                rpId = generatedId(store);
            }
            String studyUid = null;
            for (Keyed k : group) {
                studyUid = firstNonBlank(studyUid, k.proc.studyInstanceUid());
            }
            if (studyUid == null && !matched.isEmpty()) {
                studyUid = matched.get(0).item().studyInstanceUid();
            }
            if (studyUid == null) {
                studyUid = uids.next();
            }
            for (Keyed k : group) {
                Step ex = k.existing;
                if (ex != null && PERFORMED.contains(ex.item().status())) {
                    // the modality has the step already: a resent or updated order does not rewrite it
                    changes.add(new Keep(ex.item()));
                    continue;
                }
                if (ex != null && ex.item().status() == SpsStatus.CANCELED && action == OrderAction.UPDATE) {
                    // a change (XO) never brings back a step canceled on its own (only a new order, NW, re-orders)
                    changes.add(new Keep(ex.item()));
                    continue;
                }
                if (ex != null && ex.item().status() == SpsStatus.CANCELED) {
                    // a new order (NW) with the number of a canceled one puts its step back on the list, as a RIS
                    // re-ordering the exam means (README, "HL7 contract"); said, since a replayed old NW would too
                    LOG.warn("Order control {} schedules again a canceled step of its order (SPS {}); it is back "
                            + "on the worklist", trim(order.orderControl()), ex.item().spsId());
                }
                WorklistItem item = build(intake.mapping(), order, k.proc, ex == null ? null : ex.item(), rpId,
                        studyUid, history, now, store);
                changes.add(ex == null ? new Insert(item, k.stepKey) : new Update(item, k.stepKey));
            }
        }
        return new Plan(action, changes, order.writtenOn());
    }

    private WorklistItem build(Mapping m, OrderMessage order, ProcedureRequest proc, WorklistItem previous,
                               String rpId, String studyUid, List<PriorExam> history, Instant now,
                               StoreView store) {
        Station station = m.selectStation(order, proc);
        LocalDateTime start = proc.scheduledStart();
        if (start == null) {
            start = previous != null ? previous.scheduledStart() : LocalDateTime.ofInstant(now, clock.getZone());
        }
        org.ofsep.mwl.core.domain.PacsPriors pacs = null;
        CachedPriors cached = cachedPriors;
        if (cached != null) {
            try {
                pacs = cached.cached(m, order, proc, studyUid, start.toLocalDate());
            } catch (RuntimeException e) {
                pacs = null; // the cache is a shortcut: the lookup after the ACK still decides again
            }
        }
        if (pacs == null && previous != null) {
            // a change (XO) after the cache expired: the step keeps the PACS answer it was decided with until the
            // lookup after the ACK answers again (the console saw FULL with Gd in between, and kept it while the
            // PACS was down, though a comparable prior had been found)
            pacs = earlierPacsAnswer(previous.decision(), start.toLocalDate());
        }
        Decision decision = engine.decide(m, order, proc, station, history, start.toLocalDate(), pacs);
        String spsId = firstNonBlank(proc.spsId(), previous == null ? null : previous.spsId());
        if (spsId == null) {
            spsId = generatedId(store);
        }
        // free text that does not fit its DICOM LO is cut at a word boundary, never silently: WARN and a note
        List<String> cuts = new ArrayList<>();
        String reason = cutFreeText(blankToNull(proc.reason()), "OBR-31",
                "Reason for the Requested Procedure (0040,1002)", cuts);
        ProtocolCode code = proc.procedureCode();
        String meaning = cutFreeText(code.meaning(), "OBR-4.2",
                "Requested Procedure Description (0032,1060) and Code Meaning", cuts);
        if (!Objects.equals(meaning, code.meaning())) {
            code = new ProtocolCode(code.value(), code.scheme(), meaning);
        }
        if (!cuts.isEmpty()) {
            decision = decision.withMoreReasons(cuts);
        }
        ItemTexts.Texts t = texts.texts(decision, code);
        String modality = firstNonBlank(proc.modality(), "MR");
        Patient patient = storedPatient(order.patient());
        // the priority is the message's, as the reason is: a change (XO) states the order as it now is, so one
        // without a priority leaves the step without one (unlike the scheduled start and identifiers, kept above)
        return new WorklistItem(previous == null ? 0 : previous.id(), spsId, rpId,
                blankToNull(proc.accessionNumber()), studyUid, trim(order.placerOrderNumber()),
                blankToNull(order.fillerOrderNumber()), patient, weightKg(m, proc), code,
                code.meaning(), start, modality, station.aeTitle(), station.name(),
                t.spsDescription(), reason, blankToNull(order.referringPhysician()),
                SpsStatus.SCHEDULED, decision, t.medicalAlerts(), t.contrastAgent(), t.comments(),
                characterSet(order, patient), proc.priority());
    }

    /**
     * The PACS facts a step's decision was made with, when they still precede the exam's (new) date; null when it
     * had none, or when the change moved the exam before a prior the PACS had found (the lookup decides then).
     */
    static org.ofsep.mwl.core.domain.PacsPriors earlierPacsAnswer(Decision before, java.time.LocalDate examDay) {
        org.ofsep.mwl.core.domain.PacsPriors p = org.ofsep.mwl.core.decision.PriorFacts.usedBy(before);
        if (p == null || (p.brainMri() != null && p.brainMri().isAfter(examDay))
                || (p.spineMri() != null && p.spineMri().isAfter(examDay))) {
            return null;
        }
        return p;
    }

    /**
     * Patient's Weight of the item: the procedure's weight read by the mapping's unit table, the same rule the
     * dose uses ({@link FactExtractor#weightKg}); none when the mapping was not loaded from YAML (test doubles).
     */
    private static Double weightKg(Mapping m, ProcedureRequest proc) {
        return m instanceof MappingSnapshot s ? FactExtractor.weightKg(s, proc) : null;
    }

    /** The value cut to DICOM LO at a word boundary when it is too long, with a WARN and a note in {@code cuts}. */
    private static String cutFreeText(String value, String field, String attribute, List<String> cuts) {
        if (!FreeText.tooLong(value, FreeText.LO)) {
            return value;
        }
        String cut = FreeText.cut(value, FreeText.LO);
        int length = value.strip().codePointCount(0, value.strip().length());
        // no patient data: the field and the lengths only
        LOG.warn("Order text {} is {} characters, more than DICOM LO holds ({}): cut to {} at a word boundary "
                + "for {}", field, length, FreeText.LO, cut.length(), attribute);
        cuts.add("Note: the text of " + field + " (" + length + " characters) was cut to " + FreeText.LO
                + " for " + attribute + " (DICOM LO); the whole text stays in the order.");
        return cut;
    }

    /** A generated Requested Procedure ID or SPS ID (SH, 16 chars max), unique across gateway instances. */
    private static String generatedId(StoreView store) {
        return "GW" + store.nextGeneratedId();
    }

    /**
     * The DICOM Specific Character Set for the item: the one the receiving edge derived from the source (HL7
     * MSH-18), else the narrowest set that holds the patient's name.
     */
    static String characterSet(OrderMessage order, Patient patient) {
        if (order.specificCharacterSet() != null && !order.specificCharacterSet().isBlank()) {
            return order.specificCharacterSet().trim();
        }
        String name = patient.name();
        if (name == null || name.chars().allMatch(ch -> ch < 0x80)) {
            return null;
        }
        return name.chars().allMatch(ch -> ch < 0x100) ? "ISO_IR 100" : "ISO_IR 192";
    }

    /** CA, DC, SC, XO_CM...: moves the order's steps (or those the message names) to {@code target}. */
    private List<Change> changeStatus(OrderMessage order, StoreView store, SpsStatus target) {
        String placer = trim(order.placerOrderNumber());
        List<Step> existing = store.stepsOfOrder(placer);
        if (existing.isEmpty()) {
            throw new OrderRejectedException("Unknown order: no worklist entry has placer order number " + placer
                    + " (ORC-2); " + trim(order.orderControl()) + " not applied", "ORC-2",
                    OrderRejectedException.Kind.UNKNOWN_KEY);
        }
        String patientId = order.patient() == null ? "" : trim(order.patient().id());
        if (!patientId.isEmpty() && existing.stream().anyMatch(s -> !patientId.equals(s.item().patient().id()))) {
            // a cancel or discontinue must come for the order's own patient: another patient's ID means the RIS
            // (or a person) picked the wrong order, and applying it would take someone else's exam off the list
            throw new OrderRejectedException("Order " + placer + " (ORC-2) belongs to another patient than PID-3; "
                    + trim(order.orderControl()) + " not applied", "PID-3", OrderRejectedException.Kind.UNKNOWN_KEY);
        }
        // order-level control (ORC without OBR): the whole order; else only the steps the OBRs name, each of which
        // must name one (a cancel of a procedure the gateway cannot find is refused, never widened to the order)
        List<Step> targets = order.procedures().isEmpty() ? existing : named(order, existing);
        List<Change> changes = new ArrayList<>();
        for (Step s : targets) {
            WorklistItem item = s.item();
            changes.add(allowed(item.status(), target) ? new SetStatus(item.withStatus(target), target)
                    : new Keep(item));
        }
        return changes;
    }

    /**
     * The steps of the order that a status change's procedures name, in the order's order: for each procedure the
     * step with its key; else the step with its SPS ID (OBR-20, IPC-4); else the steps of its requested procedure
     * (accession number and Requested Procedure ID, as far as they are given), narrowed to its procedure code when
     * that leaves some; else, with no identifier at all, the steps with its procedure code.
     *
     * @throws OrderRejectedException UNKNOWN_KEY when a procedure names no step of the order: nothing is applied
     */
    private static List<Step> named(OrderMessage order, List<Step> existing) {
        Set<Step> out = new java.util.LinkedHashSet<>();
        int n = 0;
        for (List<Keyed> group : groupByRequestedProcedure(order.procedures())) {
            for (Keyed k : group) {
                n++;
                List<Step> found = existing.stream().filter(s -> s.stepKey().equals(k.stepKey)).toList();
                ProcedureRequest p = k.proc;
                String sps = trim(p.spsId());
                String accession = trim(p.accessionNumber());
                String rp = trim(p.requestedProcedureId());
                String code = p.procedureCode() == null ? "" : trim(p.procedureCode().value());
                if (found.isEmpty() && !(sps.isEmpty() && accession.isEmpty() && rp.isEmpty())) {
                    // every identifier given must match (an SPS ID is unique only within its requested procedure:
                    // "1" may be the SPS ID of each), then the code narrows when it leaves some
                    found = existing.stream().filter(s -> (sps.isEmpty() || sps.equals(trim(s.item().spsId())))
                            && (accession.isEmpty() || accession.equals(trim(s.item().accessionNumber())))
                            && (rp.isEmpty() || rp.equals(trim(s.item().requestedProcedureId())))).toList();
                    List<Step> sameCode = found.stream().filter(s -> sameCode(s, code)).toList();
                    if (!sameCode.isEmpty()) {
                        found = sameCode;
                    }
                } else if (found.isEmpty() && !code.isEmpty()) {
                    found = existing.stream().filter(s -> sameCode(s, code)).toList();
                }
                if (found.isEmpty()) {
                    throw new OrderRejectedException("Order " + trim(order.placerOrderNumber()) + " (ORC-2) has no "
                            + "step for procedure #" + n + " of the message (accession " + shown(accession)
                            + ", requested procedure " + shown(rp) + ", SPS " + shown(sps) + ", code " + shown(code)
                            + "); " + trim(order.orderControl()) + " not applied", !sps.isEmpty() ? "OBR-20"
                                    : !accession.isEmpty() ? "OBR-18" : !rp.isEmpty() ? "OBR-19" : "OBR-4",
                            OrderRejectedException.Kind.UNKNOWN_KEY);
                }
                out.addAll(found);
            }
        }
        return existing.stream().filter(out::contains).toList();
    }

    private static boolean sameCode(Step s, String code) {
        ProtocolCode c = s.item().requestedProcedureCode();
        return !code.isEmpty() && c != null && code.equals(trim(c.value()));
    }

    private static String shown(String value) {
        return value.isEmpty() ? "none" : value;
    }

    /** The status transitions an order may make (IHE SWF: a step leaves SCHEDULED or STARTED, never returns). */
    public static boolean allowed(SpsStatus from, SpsStatus to) {
        if (from == to) {
            return false;
        }
        return switch (to) {
            case STARTED -> from == SpsStatus.SCHEDULED;
            case COMPLETED, DISCONTINUED, CANCELED -> PENDING.contains(from);
            case SCHEDULED -> false;
        };
    }

    /**
     * ADT^A08/A31: the demographics as the pending steps will carry them.
     *
     * @throws OrderRejectedException when the patient ID is missing or a field does not fit
     */
    public Patient patientUpdate(Patient patient) {
        if (patient == null || trim(patient.id()).isEmpty()) {
            throw new OrderRejectedException("Patient ID (PID-3) is missing", "PID-3");
        }
        checks.patient(patient);
        return storedPatient(patient);
    }

    /** ADT^A40: a checked merge, in the form the store applies. */
    public record Merge(Patient survivor, String oldPatientId, String oldIssuer) {
    }

    /**
     * ADT^A40: checks a merge of {@code oldPatientId} into {@code survivor}.
     *
     * @throws OrderRejectedException when an ID is missing or a field does not fit
     */
    public Merge merge(Patient survivor, String oldPatientId, String oldIssuer) {
        if (survivor == null || trim(survivor.id()).isEmpty()) {
            throw new OrderRejectedException("Surviving patient ID (PID-3) is missing", "PID-3");
        }
        if (trim(oldPatientId).isEmpty()) {
            throw new OrderRejectedException("Prior patient ID (MRG-1) is missing", "MRG-1");
        }
        checks.patient(survivor);
        return new Merge(storedPatient(survivor), oldPatientId.trim(), blankToNull(oldIssuer));
    }

    /** Trimmed ID, blank fields absent, the person name in its stored normal form. */
    private static Patient storedPatient(Patient p) {
        return new Patient(p.id().trim(), blankToNull(p.issuer()), PersonNames.normalForm(p.name()),
                p.birthDate(), blankToNull(p.sex()));
    }

    /** A procedure with its idempotency key inside the order. */
    private static final class Keyed {
        final ProcedureRequest proc;
        final String stepKey;
        Step existing;

        Keyed(ProcedureRequest proc, String stepKey) {
            this.proc = proc;
            this.stepKey = stepKey;
        }
    }

    /**
     * Groups the procedures into requested procedures (same accession and requested procedure ID: one
     * requested procedure with several steps) and keys each step: its SPS ID when the RIS sent one, else its
     * procedure code and rank among equal codes in that requested procedure, which a resend reproduces.
     */
    static List<List<Keyed>> groupByRequestedProcedure(List<ProcedureRequest> procedures) {
        Map<String, List<Keyed>> groups = new LinkedHashMap<>();
        Map<String, Integer> rank = new HashMap<>();
        for (ProcedureRequest p : procedures) {
            String group = "A:" + trim(p.accessionNumber()) + "|R:" + trim(p.requestedProcedureId());
            String step;
            if (!trim(p.spsId()).isEmpty()) {
                step = "S:" + trim(p.spsId());
            } else {
                String code = p.procedureCode() == null ? "" : trim(p.procedureCode().value());
                int n = rank.merge(group + "|C:" + code, 1, Integer::sum);
                step = "C:" + code + "#" + n;
            }
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(new Keyed(p, group + "|" + step));
        }
        return new ArrayList<>(groups.values());
    }

    /**
     * The step key of each of an order's procedures, in order (what {@link Insert#stepKey()} holds for each, and
     * {@code worklist_item.step_key} in the store).
     */
    public static Map<String, ProcedureRequest> stepKeys(List<ProcedureRequest> procedures) {
        Map<String, ProcedureRequest> keys = new LinkedHashMap<>();
        groupByRequestedProcedure(procedures).forEach(g -> g.forEach(k -> keys.put(k.stepKey, k.proc)));
        return keys;
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String firstNonBlank(String a, String b) {
        String x = blankToNull(a);
        return x != null ? x : blankToNull(b);
    }
}
