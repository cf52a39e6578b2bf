package org.ofsep.mwl.store.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.ofsep.mwl.core.decision.DecisionEngine;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.mapping.Mapping;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.order.OrderAction;
import org.ofsep.mwl.core.order.OrderChecks;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.OrderRejectedException;
import org.ofsep.mwl.core.order.ProcedureRequest;
import org.ofsep.mwl.core.planning.OrderPlanner;
import org.ofsep.mwl.core.order.OrderService;
import org.ofsep.mwl.core.service.ItemTexts;
import org.ofsep.mwl.core.service.UidGenerator;
import org.ofsep.mwl.store.Database;
import org.ofsep.mwl.store.ItemTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies RIS orders to the worklist, one database transaction per call (IHE SWF RAD-4/RAD-13, RAD-12): the
 * {@link OrderPlanner} (gateway-core) decides what the order does; this class reads what the planner needs and
 * applies its plan through {@link ItemTable}, inside one transaction.
 *
 * <p>Idempotency: every step has a key inside its order, unique in the database. A resent NW finds its steps and
 * refreshes them; two identical NW racing on two threads or two gateway instances collide on that key, the
 * loser's transaction is retried and becomes the refresh.
 */
public final class JdbcOrderService implements OrderService {

    private static final Logger log = LoggerFactory.getLogger(JdbcOrderService.class);

    private final Database db;
    private final OrderPlanner planner;
    private final Clock clock;
    private volatile AccessionScope accessionScope = AccessionScope.GLOBAL;

    /**
     * Where an accession number (OBR-18 / IPC-1) must be unique: it names one imaging service request, so the
     * same number on another order is refused (AE, 205) unless the site says otherwise.
     */
    public enum AccessionScope {
        /** Unique across every order (the default). */
        GLOBAL,
        /** Unique among the orders of one Issuer of Patient ID (sites where several RIS number on their own). */
        ISSUER,
        /** Not checked. */
        NONE
    }

    /** Sets where accession numbers must be unique (gateway.yaml {@code hl7.accessionNumbersUnique}). */
    public JdbcOrderService withAccessionScope(AccessionScope scope) {
        this.accessionScope = scope == null ? AccessionScope.GLOBAL : scope;
        return this;
    }

    public JdbcOrderService(Database db, OrderPlanner planner) {
        this.db = Objects.requireNonNull(db);
        this.planner = Objects.requireNonNull(planner);
        this.clock = planner.clock();
    }

    /** A planner without edge checks (tests, tools): see {@link OrderPlanner}. */
    public JdbcOrderService(Database db, Supplier<Mapping> mapping, DecisionEngine engine, UidGenerator uids,
                            Clock clock, ItemTexts texts) {
        this(db, new OrderPlanner(mapping, engine, uids, clock, texts, OrderChecks.NONE));
    }

    public JdbcOrderService(Database db, Supplier<Mapping> mapping, DecisionEngine engine, UidGenerator uids,
                            Clock clock) {
        this(db, mapping, engine, uids, clock, ItemTexts.DEFAULT);
    }

    public OrderPlanner planner() {
        return planner;
    }

    @Override
    public List<WorklistItem> apply(OrderMessage order) {
        OrderPlanner.Intake intake = planner.accept(order);
        List<WorklistItem> result = db.inTransaction(c -> {
            if (intake.action() == OrderAction.SCHEDULE || intake.action() == OrderAction.UPDATE) {
                checkAccessionNumbers(c, intake.order());
            }
            OrderPlanner.Plan plan;
            try {
                plan = planner.plan(intake, new View(c));
            } catch (ViewFailure e) {
                throw e.getCause();
            }
            return applyPlan(c, intake, plan, clock.instant());
        });
        // DEBUG: the HL7 layer logs each message's outcome at INFO once it is committed (one line per order)
        log.debug("Order {}_{} applied as {}: {} step(s)", order.orderControl(), order.orderStatus(),
                intake.action(), result.size());
        log.debug("Order {} steps: {}", order.placerOrderNumber(),
                result.stream().map(WorklistItem::spsId).toList());
        return result;
    }

    /**
     * An accession number names one imaging service request: the same number on another (not canceled) order is
     * refused, within the configured scope, so that two patients' exams never share it.
     */
    private void checkAccessionNumbers(Connection c, OrderMessage order) throws SQLException {
        if (accessionScope == AccessionScope.NONE) {
            return;
        }
        String placer = order.placerOrderNumber() == null ? "" : order.placerOrderNumber().trim();
        String issuer = order.patient() == null || order.patient().issuer() == null
                || order.patient().issuer().isBlank() ? null : order.patient().issuer().trim();
        Set<String> seen = new HashSet<>();
        for (ProcedureRequest proc : order.procedures()) {
            String accession = proc.accessionNumber() == null ? "" : proc.accessionNumber().trim();
            if (accession.isEmpty() || !seen.add(accession)) {
                continue;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT issuer_of_patient_id FROM worklist_item "
                    + "WHERE accession_number = ? AND placer_order_number <> ? AND status <> 'CANCELED'")) {
                ps.setString(1, accession);
                ps.setString(2, placer);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (accessionScope == AccessionScope.GLOBAL || Objects.equals(issuer, rs.getString(1))) {
                            throw new OrderRejectedException("Accession number " + accession + " (OBR-18) already "
                                    + "belongs to another order; " + order.orderControl() + " not applied",
                                    "OBR-18", OrderRejectedException.Kind.DUPLICATE_KEY);
                        }
                    }
                }
            }
        }
    }

    /**
     * Applies the planner's changes. Every inserted or refreshed step goes through the radiologist review
     * ({@link JdbcReviewService#plan}): what the console receives (held without Gd while a radiologist must
     * confirm), and never a person's confirmed or overridden decision replaced by the refresh.
     */
    private static List<WorklistItem> applyPlan(Connection c, OrderPlanner.Intake intake, OrderPlanner.Plan plan,
                                                Instant now) throws SQLException {
        MappingSnapshot m = intake.mapping() instanceof MappingSnapshot s ? s : null;
        String cause = plan.action() == OrderAction.UPDATE ? "order update" : "order resent";
        List<WorklistItem> result = new ArrayList<>();
        for (OrderPlanner.Change change : plan.changes()) {
            WorklistItem item = change.item();
            if (change instanceof OrderPlanner.Insert insert) {
                JdbcReviewService.Plan review = JdbcReviewService.plan(c, m, item, null, ItemTexts.DEFAULT, cause, now);
                item = review.item().withId(ItemTable.insert(c, review.item(), insert.stepKey(), now,
                        plan.orderWrittenOn()));
                JdbcReviewService.recordNew(c, item.id(), review, now);
            } else if (change instanceof OrderPlanner.Update update) {
                List<ItemTable.StoredItem> stored = ItemTable.byIds(c, List.of(item.id()));
                WorklistItem previous = stored.isEmpty() ? null : stored.get(0).item();
                JdbcReviewService.Plan review = JdbcReviewService.plan(c, m, item, previous, ItemTexts.DEFAULT,
                        cause, now);
                item = review.item();
                if (previous != null && update.stepKey().equals(stored.get(0).stepKey())) {
                    // an XO or a resent order usually changes little (a time, a reason) or nothing: only the
                    // differing columns, the protocol codes only when they differ, no statement when nothing does
                    ItemTable.updateChanged(c, previous, item, update.stepKey(), now);
                } else {
                    ItemTable.update(c, item, update.stepKey(), now); // the step's key changed: the whole row
                }
                JdbcReviewService.record(c, item.id(), review, now);
            } else if (change instanceof OrderPlanner.SetStatus set) {
                ItemTable.updateStatus(c, item.id(), set.status(), now);
            }
            result.add(item);
        }
        return result;
    }

    @Override
    public int updatePatient(Patient patient) {
        Patient p = planner.patientUpdate(patient);
        Instant now = clock.instant();
        int changed = db.inTransaction(c -> {
            List<Long> held = usingDemographics(c, p.id(), p.issuer(), p);
            int n = ItemTable.updateDemographics(c, p, OrderPlanner.PENDING, now);
            holdForReview(c, held, now);
            return n;
        });
        log.info("Patient update applied to {} pending step(s)", changed);
        return changed;
    }

    /** The alert of a Gd decision whose eGFR was computed with a birth date or sex since corrected (at most 64). */
    static final String CORRECTED_ALERT = "Gd: eGFR of a corrected birth date/sex: radiologist to confirm";

    /**
     * The scheduled steps of {@code patientId} whose Gd decision used an eGFR computed from a creatinine with the
     * birth date or sex that {@code now} changes (CKD-EPI 2021 depends on both): their ids.
     */
    private static List<Long> usingDemographics(Connection c, String patientId, String issuer, Patient now)
            throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM worklist_item WHERE patient_id = ? AND status"
                + " = 'SCHEDULED'")) {
            ps.setString(1, patientId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        List<Long> out = new ArrayList<>();
        for (ItemTable.StoredItem s : ItemTable.byIds(c, ids)) {
            WorklistItem item = s.item();
            Patient was = item.patient();
            if (was == null || issuer != null && was.issuer() != null && !issuer.equalsIgnoreCase(was.issuer())) {
                continue;
            }
            boolean corrected = now.birthDate() != null && !now.birthDate().equals(was.birthDate())
                    || now.sex() != null && !now.sex().equalsIgnoreCase(String.valueOf(was.sex()));
            Decision rules = JdbcReviewService.rulesDecision(c, item);
            if (corrected && rules != null && rules.ofsep() && rules.contrast() && rules.facts().stream()
                    .anyMatch(f -> "egfr".equals(f.name()) && f.source() != null && f.source().contains("PID-7"))) {
                out.add(item.id());
            }
        }
        return out;
    }

    /**
     * An ADT that corrects the birth date or sex a Gd decision's eGFR was computed with: the decision goes to the
     * radiologist review (held without Gd, a person's decision set aside, audited) with an alert saying why. It
     * kept the eGFR of the old age (an eGFR of 32.6 at 46 is 25 at 86: the renal alert missing). The order is not
     * decided again here (the gateway keeps no copy of it): the next message of the order decides with the new
     * demographics.
     */
    private void holdForReview(Connection c, List<Long> ids, Instant now) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        MappingSnapshot m = planner.currentMapping() instanceof MappingSnapshot s ? s : null;
        for (ItemTable.StoredItem s : ItemTable.byIds(c, ids)) {
            Decision rules = JdbcReviewService.rulesDecision(c, s.item());
            if (rules == null || rules.alerts().contains(CORRECTED_ALERT)) {
                continue;
            }
            List<String> alerts = new ArrayList<>(rules.alerts());
            alerts.add(CORRECTED_ALERT);
            List<String> reasons = new ArrayList<>(rules.reasons());
            reasons.add("The patient's birth date or sex was corrected (ADT) after the eGFR was computed with them:"
                    + " the eGFR must be checked before Gd.");
            Decision held = new Decision(rules.ofsep(), rules.examCard(), rules.contrast(), rules.contrastOptional(),
                    rules.spine(), rules.spineDue(), rules.rule(), reasons, alerts, rules.contrastDose(),
                    rules.nextMriMonths(), rules.optionalSequences(), rules.defaultCodes(), rules.vendorCodes(),
                    rules.facts());
            JdbcReviewService.redecide(c, m, s, held, ItemTexts.DEFAULT, "patient update (ADT)", now);
            log.warn("Patient update: step {} held for review: its eGFR was computed with the birth date or sex the"
                    + " update corrects", s.item().spsId());
        }
    }

    @Override
    public int mergePatient(Patient survivor, String oldPatientId, String oldIssuer) {
        OrderPlanner.Merge merge = planner.merge(survivor, oldPatientId, oldIssuer);
        Instant now = clock.instant();
        int changed = db.inTransaction(c -> {
            // what the message does not say (birth date, sex, issuer) is what the survivor's own steps say: the moved
            // steps take it too, and the survivor's take what it says: one patient ID, one name and birth date
            Patient into = withKnown(c, merge.survivor());
            List<Long> held = new ArrayList<>(usingDemographics(c, merge.oldPatientId(), merge.oldIssuer(), into));
            held.addAll(usingDemographics(c, into.id(), into.issuer(), into));
            int moved = ItemTable.mergePatient(c, into, merge.oldPatientId(), merge.oldIssuer(), now);
            ItemTable.updateDemographics(c, into, OrderPlanner.PENDING, now);
            holdForReview(c, held, now);
            return moved;
        });
        log.info("Patient merge moved {} step(s) to the surviving ID", changed);
        return changed;
    }

    /**
     * The surviving patient as the merge message gives it, each missing birth date, sex or issuer taken from a
     * step the survivor already has (its newest), when it has one.
     */
    private static Patient withKnown(Connection c, Patient survivor) throws SQLException {
        if (survivor.birthDate() != null && survivor.sex() != null && survivor.issuer() != null) {
            return survivor;
        }
        Patient known = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM worklist_item WHERE patient_id = ? "
                + "ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, survivor.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    known = ItemTable.byIdsNoLock(c, List.of(rs.getLong(1))).stream().findFirst()
                            .map(s -> s.item().patient()).orElse(null);
                }
            }
        }
        if (known == null) {
            return survivor;
        }
        return new Patient(survivor.id(), survivor.issuer() != null ? survivor.issuer() : known.issuer(),
                survivor.name(), survivor.birthDate() != null ? survivor.birthDate() : known.birthDate(),
                survivor.sex() != null ? survivor.sex() : known.sex());
    }

    /** What the planner reads, on the transaction's connection. */
    private static final class View implements OrderPlanner.StoreView {
        private final Connection c;

        View(Connection c) {
            this.c = c;
        }

        @Override
        public List<OrderPlanner.Step> stepsOfOrder(String placerOrderNumber) {
            try {
                return ItemTable.byPlacerOrder(c, placerOrderNumber).stream()
                        .map(s -> new OrderPlanner.Step(s.item(), s.stepKey())).toList();
            } catch (SQLException e) {
                throw new ViewFailure(e);
            }
        }

        @Override
        public java.time.LocalDate orderWrittenOn(String placerOrderNumber) {
            try {
                return ItemTable.orderWrittenOn(c, placerOrderNumber);
            } catch (SQLException e) {
                throw new ViewFailure(e);
            }
        }

        @Override
        public List<PriorExam> history(String patientId) {
            try {
                return ItemTable.history(c, patientId);
            } catch (SQLException e) {
                throw new ViewFailure(e);
            }
        }

        @Override
        public long nextGeneratedId() {
            try {
                return ItemTable.nextGeneratedId(c);
            } catch (SQLException e) {
                throw new ViewFailure(e);
            }
        }
    }

    /** An SQL failure while planning, carried through the planner back to the transaction (which may retry). */
    private static final class ViewFailure extends RuntimeException {
        ViewFailure(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
