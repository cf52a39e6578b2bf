package org.ofsep.mwl.store.service;

import org.ofsep.mwl.core.service.UidGenerator;
import org.ofsep.mwl.core.service.ItemTexts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.mapping.Mapping;
import org.ofsep.mwl.core.order.OrderAction;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.OrderRejectedException;
import org.ofsep.mwl.core.order.OrderService;
import org.ofsep.mwl.core.order.ProcedureRequest;
import org.ofsep.mwl.store.Database;
import org.ofsep.mwl.store.ItemTable;
import org.ofsep.mwl.store.ItemTable.StoredItem;
import org.ofsep.mwl.core.domain.PersonNames;
import org.ofsep.mwl.store.SqlTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies RIS orders to the worklist, one database transaction per call (IHE SWF RAD-4/RAD-13, RAD-12).
 *
 * <p>Idempotency: every step has a key inside its order (placer order number + accession + requested procedure
 * + SPS ID, or the procedure code and its rank when the RIS sends no SPS ID), unique in the database. A resent
 * NW finds its steps and refreshes them; two identical NW racing on two threads or two gateway instances
 * collide on that key, the loser's transaction is retried and becomes the refresh.
 */
public final class JdbcOrderService implements OrderService {

    private static final Logger log = LoggerFactory.getLogger(JdbcOrderService.class);
    private static final Set<SpsStatus> PENDING = EnumSet.of(SpsStatus.SCHEDULED, SpsStatus.STARTED);
    /** Steps an order refresh must not touch: the exam is under way or over. */
    private static final Set<SpsStatus> PERFORMED = EnumSet.of(SpsStatus.STARTED, SpsStatus.COMPLETED,
            SpsStatus.DISCONTINUED);

    private final Database db;
    private final Supplier<Mapping> mapping;
    private final DecisionEngine engine;
    private final UidGenerator uids;
    private final Clock clock;
    private final ItemTexts texts;
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

    /**
     * @param mapping supplies the mapping snapshot in force (hot reload swaps it); read once per order
     * @param texts   builds SPS description, contrast agent, comments and alerts from the decision
     */
    public JdbcOrderService(Database db, Supplier<Mapping> mapping, DecisionEngine engine, UidGenerator uids,
                            Clock clock, ItemTexts texts) {
        this.db = Objects.requireNonNull(db);
        this.mapping = Objects.requireNonNull(mapping);
        this.engine = Objects.requireNonNull(engine);
        this.uids = Objects.requireNonNull(uids);
        this.clock = Objects.requireNonNull(clock);
        this.texts = Objects.requireNonNull(texts);
    }

    public JdbcOrderService(Database db, Supplier<Mapping> mapping, DecisionEngine engine, UidGenerator uids,
                            Clock clock) {
        this(db, mapping, engine, uids, clock, ItemTexts.DEFAULT);
    }

    @Override
    public List<WorklistItem> apply(OrderMessage order) {
        String control = trim(order.orderControl());
        if (control.isEmpty()) {
            throw new OrderRejectedException("Order control (ORC-1) is missing", "ORC-1");
        }
        String status = trim(order.orderStatus());
        Mapping m = mapping.get();
        OrderAction action = m.orderAction(control, status).orElseThrow(() -> new OrderRejectedException(
                "No order action is mapped for ORC-1/ORC-5 pair " + control + "_" + status
                        + (status.isEmpty() ? " (ORC-5 empty)" : ""), "ORC-1"));
        String placer = trim(order.placerOrderNumber());
        if (placer.isEmpty()) {
            throw new OrderRejectedException("Placer order number (ORC-2) is missing", "ORC-2");
        }
        maxLength(placer, 64, "ORC-2", "Placer order number");
        List<WorklistItem> result = switch (action) {
            case SCHEDULE, UPDATE -> {
                validateForScheduling(order);
                yield db.inTransaction(c -> schedule(c, m, order, action));
            }
            case START -> db.inTransaction(c -> changeStatus(c, order, SpsStatus.STARTED));
            case COMPLETE -> db.inTransaction(c -> changeStatus(c, order, SpsStatus.COMPLETED));
            case CANCEL -> db.inTransaction(c -> changeStatus(c, order, SpsStatus.CANCELED));
            case DISCONTINUE -> db.inTransaction(c -> changeStatus(c, order, SpsStatus.DISCONTINUED));
        };
        // DEBUG: the HL7 layer logs each message's outcome at INFO once it is committed (one line per order)
        log.debug("Order {}_{} applied as {}: {} step(s)", control, status, action, result.size());
        log.debug("Order {} steps: {}", placer, result.stream().map(WorklistItem::spsId).toList());
        return result;
    }

    private static void validateForScheduling(OrderMessage order) {
        Patient p = order.patient();
        if (p == null || trim(p.id()).isEmpty()) {
            throw new OrderRejectedException("Patient ID (PID-3) is missing", "PID-3");
        }
        maxLength(p.id(), 64, "PID-3", "Patient ID");
        maxLength(p.issuer(), 64, "PID-3.4", "Issuer of patient ID");
        maxLength(p.name(), 400, "PID-5", "Patient name");
        maxLength(p.sex(), 16, "PID-8", "Administrative sex");
        maxLength(order.fillerOrderNumber(), 64, "ORC-3", "Filler order number");
        maxLength(order.referringPhysician(), 400, "ORC-12", "Ordering provider");
        if (order.procedures().isEmpty()) {
            throw new OrderRejectedException("The order has no requested procedure (OBR)", "OBR");
        }
        for (ProcedureRequest proc : order.procedures()) {
            ProtocolCode code = proc.procedureCode();
            if (code == null || trim(code.value()).isEmpty()) {
                throw new OrderRejectedException("Universal service identifier (OBR-4) is missing", "OBR-4");
            }
            maxLength(code.value(), 64, "OBR-4", "Procedure code");
            maxLength(code.scheme(), 64, "OBR-4.3", "Procedure coding system");
            maxLength(code.meaning(), 400, "OBR-4.2", "Procedure text");
            maxLength(proc.modality(), 16, "OBR-24", "Modality");
            maxLength(proc.accessionNumber(), 64, "OBR-18", "Accession number");
            maxLength(proc.requestedProcedureId(), 64, "OBR-19", "Requested procedure ID");
            maxLength(proc.spsId(), 64, "IPC-4", "Scheduled procedure step ID");
            if (proc.studyInstanceUid() != null && !proc.studyInstanceUid().isBlank()
                    && !UidGenerator.isValid(proc.studyInstanceUid().trim())) {
                throw new OrderRejectedException("Study Instance UID is not a valid DICOM UID", "ZDS-1");
            }
        }
    }

    /** SCHEDULE (NW) and UPDATE (XO): create or refresh every step the message describes. */
    private List<WorklistItem> schedule(Connection c, Mapping m, OrderMessage order, OrderAction action)
            throws SQLException {
        Instant now = clock.instant();
        String placer = trim(order.placerOrderNumber());
        List<StoredItem> existing = ItemTable.byPlacerOrder(c, placer);
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
            // is a duplicate key; a change of "this patient's order" names an order this patient does not have.
            throw new OrderRejectedException("Placer order number " + placer + " (ORC-2) already belongs to "
                    + "another patient; " + trim(order.orderControl()) + " not applied", "ORC-2",
                    action == OrderAction.UPDATE ? OrderRejectedException.Kind.UNKNOWN_KEY
                            : OrderRejectedException.Kind.DUPLICATE_KEY);
        }
        checkAccessionNumbers(c, order, placer);
        Map<String, StoredItem> byKey = new HashMap<>();
        existing.forEach(s -> byKey.put(s.stepKey(), s));
        List<PriorExam> history = ItemTable.history(c, patientId);

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
            List<StoredItem> left = existing.stream().filter(s -> !used.contains(s.item().id()))
                    .filter(s -> s.item().status() != SpsStatus.CANCELED).toList();
            if (left.size() == unmatched.size()) {
                for (int i = 0; i < left.size(); i++) {
                    unmatched.get(i).existing = left.get(i);
                }
            }
        }
        List<WorklistItem> result = new ArrayList<>();
        for (List<Keyed> group : groups) {
            List<StoredItem> matched = new ArrayList<>();
            for (Keyed k : group) {
                if (k.existing != null) {
                    matched.add(k.existing);
                }
            }
            ProcedureRequest first = group.get(0).proc;
            String rpId = firstNonBlank(first.requestedProcedureId(),
                    matched.isEmpty() ? null : matched.get(0).item().requestedProcedureId());
            if (rpId == null) {
                rpId = generatedId(c);
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
                StoredItem ex = k.existing;
                if (ex != null && PERFORMED.contains(ex.item().status())) {
                    // the modality has the step already: a resent or updated order does not rewrite it
                    result.add(ex.item());
                    continue;
                }
                WorklistItem item = build(c, m, order, k.proc, ex == null ? null : ex.item(), rpId, studyUid,
                        history, now);
                if (ex == null) {
                    long id = ItemTable.insert(c, item, k.stepKey, now);
                    item = item.withId(id);
                } else {
                    ItemTable.update(c, item, k.stepKey, now);
                }
                result.add(item);
            }
        }
        return result;
    }

    private WorklistItem build(Connection c, Mapping m, OrderMessage order, ProcedureRequest proc,
                               WorklistItem previous, String rpId, String studyUid, List<PriorExam> history,
                               Instant now) throws SQLException {
        Station station = m.selectStation(order, proc);
        LocalDateTime start = proc.scheduledStart();
        if (start == null) {
            start = previous != null ? previous.scheduledStart() : LocalDateTime.ofInstant(now, clock.getZone());
        }
        Decision decision = engine.decide(m, order, proc, station, history, start.toLocalDate());
        String spsId = firstNonBlank(proc.spsId(), previous == null ? null : previous.spsId());
        if (spsId == null) {
            spsId = generatedId(c);
        }
        ItemTexts.Texts t = texts.texts(decision, proc.procedureCode());
        String modality = firstNonBlank(proc.modality(), "MR");
        Patient patient = order.patient();
        patient = new Patient(patient.id().trim(), blankToNull(patient.issuer()), personName(patient.name()),
                patient.birthDate(), blankToNull(patient.sex()));
        return new WorklistItem(previous == null ? 0 : previous.id(), spsId, rpId,
                blankToNull(proc.accessionNumber()), studyUid, trim(order.placerOrderNumber()),
                blankToNull(order.fillerOrderNumber()), patient, order.weightKg(), proc.procedureCode(),
                proc.procedureCode().meaning(), start, modality, station.aeTitle(), station.name(),
                t.spsDescription(), blankToNull(proc.reason()), blankToNull(order.referringPhysician()),
                SpsStatus.SCHEDULED, decision, t.medicalAlerts(), t.contrastAgent(), t.comments(),
                characterSet(proc, patient));
    }

    /** A generated Requested Procedure ID or SPS ID (SH, 16 chars max), unique across gateway instances. */
    private static String generatedId(Connection c) throws SQLException {
        return "GW" + ItemTable.nextGeneratedId(c);
    }

    /**
     * The DICOM Specific Character Set for the item: from the order's MSH-18 when the HL7 layer passed it in
     * the procedure's fields, else the narrowest set that holds the patient's name.
     */
    static String characterSet(ProcedureRequest proc, Patient patient) {
        String msh18 = trim(proc.fields().get("MSH-18")).toUpperCase(java.util.Locale.ROOT);
        if (msh18.startsWith("8859/1")) {
            return "ISO_IR 100";
        }
        if (msh18.startsWith("UNICODE")) {
            return "ISO_IR 192";
        }
        String name = patient.name();
        if (name == null || name.chars().allMatch(ch -> ch < 0x80)) {
            return null;
        }
        return name.chars().allMatch(ch -> ch < 0x100) ? "ISO_IR 100" : "ISO_IR 192";
    }

    /**
     * An accession number names one imaging service request: the same number on another (not canceled) order is
     * refused, within the configured scope, so that two patients' exams never share it.
     */
    private void checkAccessionNumbers(Connection c, OrderMessage order, String placer) throws SQLException {
        if (accessionScope == AccessionScope.NONE) {
            return;
        }
        Set<String> seen = new HashSet<>();
        String issuer = blankToNull(order.patient().issuer());
        for (ProcedureRequest proc : order.procedures()) {
            String accession = blankToNull(proc.accessionNumber());
            if (accession == null || !seen.add(accession)) {
                continue;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT issuer_of_patient_id FROM worklist_item "
                    + "WHERE accession_number = ? AND placer_order_number <> ? AND status <> 'CANCELED'")) {
                ps.setString(1, accession);
                ps.setString(2, placer);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String other = rs.getString(1);
                        if (accessionScope == AccessionScope.GLOBAL || Objects.equals(issuer, other)) {
                            throw new OrderRejectedException("Accession number " + accession + " (OBR-18) already "
                                    + "belongs to another order; " + trim(order.orderControl()) + " not applied",
                                    "OBR-18", OrderRejectedException.Kind.DUPLICATE_KEY);
                        }
                    }
                }
            }
        }
    }

    /** CA, DC, SC, XO_CM...: moves the order's steps (or those the message names) to {@code target}. */
    private List<WorklistItem> changeStatus(Connection c, OrderMessage order, SpsStatus target) throws SQLException {
        Instant now = clock.instant();
        String placer = trim(order.placerOrderNumber());
        List<StoredItem> existing = ItemTable.byPlacerOrder(c, placer);
        if (existing.isEmpty()) {
            throw new OrderRejectedException("Unknown order: no worklist entry has placer order number " + placer
                    + " (ORC-2); " + trim(order.orderControl()) + " not applied", "ORC-2",
                    OrderRejectedException.Kind.UNKNOWN_KEY);
        }
        String patientId = order.patient() == null ? "" : trim(order.patient().id());
        if (!patientId.isEmpty() && existing.stream().anyMatch(s -> !patientId.equals(s.item().patient().id()))) {
            // a cancel or discontinue must come for the order's own patient: another patient's ID means the RIS
            // (or a person) picked the wrong order, and canceling it would take someone else's exam off the list
            throw new OrderRejectedException("Order " + placer + " (ORC-2) belongs to another patient than PID-3; "
                    + trim(order.orderControl()) + " not applied", "PID-3", OrderRejectedException.Kind.UNKNOWN_KEY);
        }
        Set<String> named = new HashSet<>();
        for (List<Keyed> group : groupByRequestedProcedure(order.procedures())) {
            group.forEach(k -> named.add(k.stepKey));
        }
        List<StoredItem> targets = existing.stream().filter(s -> named.contains(s.stepKey())).toList();
        if (targets.isEmpty()) {
            targets = existing; // order-level control: the whole order
        }
        List<WorklistItem> result = new ArrayList<>();
        for (StoredItem s : targets) {
            WorklistItem item = s.item();
            if (allowed(item.status(), target)) {
                ItemTable.updateStatus(c, item.id(), target, now);
                item = item.withStatus(target);
            }
            result.add(item);
        }
        return result;
    }

    private static boolean allowed(SpsStatus from, SpsStatus to) {
        if (from == to) {
            return false;
        }
        return switch (to) {
            case STARTED -> from == SpsStatus.SCHEDULED;
            case COMPLETED, DISCONTINUED, CANCELED -> PENDING.contains(from);
            case SCHEDULED -> false;
        };
    }

    @Override
    public int updatePatient(Patient patient) {
        if (patient == null || trim(patient.id()).isEmpty()) {
            throw new OrderRejectedException("Patient ID (PID-3) is missing", "PID-3");
        }
        validateDemographics(patient);
        int changed = db.inTransaction(c -> {
            StringBuilder sql = new StringBuilder("UPDATE worklist_item SET patient_name = COALESCE(?, patient_name), "
                    + "patient_name_norm = COALESCE(?, patient_name_norm), "
                    + "patient_birth_date = COALESCE(?, patient_birth_date), patient_sex = COALESCE(?, patient_sex), "
                    + "issuer_of_patient_id = COALESCE(?, issuer_of_patient_id), updated_at = ? "
                    + "WHERE patient_id = ? AND status IN ('SCHEDULED', 'STARTED')");
            String issuer = blankToNull(patient.issuer());
            if (issuer != null) {
                sql.append(" AND (issuer_of_patient_id = ? OR issuer_of_patient_id IS NULL)");
            }
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = bindDemographics(ps, patient, clock.instant());
                ps.setString(i++, patient.id().trim());
                if (issuer != null) {
                    ps.setString(i, issuer);
                }
                return ps.executeUpdate();
            }
        });
        log.info("Patient update applied to {} pending step(s)", changed);
        return changed;
    }

    @Override
    public int mergePatient(Patient survivor, String oldPatientId, String oldIssuer) {
        if (survivor == null || trim(survivor.id()).isEmpty()) {
            throw new OrderRejectedException("Surviving patient ID (PID-3) is missing", "PID-3");
        }
        if (trim(oldPatientId).isEmpty()) {
            throw new OrderRejectedException("Prior patient ID (MRG-1) is missing", "MRG-1");
        }
        validateDemographics(survivor);
        String newId = survivor.id().trim();
        String oldId = oldPatientId.trim();
        int changed = db.inTransaction(c -> {
            Instant now = clock.instant();
            String issuer = blankToNull(oldIssuer);
            String issuerCond = issuer == null ? "" : " AND (issuer_of_patient_id = ? OR issuer_of_patient_id IS NULL)";
            int items;
            try (PreparedStatement ps = c.prepareStatement("UPDATE worklist_item SET patient_name = COALESCE(?, "
                    + "patient_name), patient_name_norm = COALESCE(?, patient_name_norm), "
                    + "patient_birth_date = COALESCE(?, patient_birth_date), patient_sex = COALESCE(?, patient_sex), "
                    + "issuer_of_patient_id = ?, updated_at = ?, patient_id = ? WHERE patient_id = ?" + issuerCond)) {
                int i = 1;
                ps.setString(i++, personName(survivor.name()));
                ps.setString(i++, PersonNames.fold(personName(survivor.name())));
                SqlTime.setLocalDate(ps, i++, survivor.birthDate());
                ps.setString(i++, blankToNull(survivor.sex()));
                ps.setString(i++, blankToNull(survivor.issuer()));
                SqlTime.setInstant(ps, i++, now);
                ps.setString(i++, newId);
                ps.setString(i++, oldId);
                if (issuer != null) {
                    ps.setString(i, issuer);
                }
                items = ps.executeUpdate();
            }
            for (String table : List.of("prior_exam", "mpps")) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE " + table + " SET patient_id = ? WHERE patient_id = ?")) {
                    ps.setString(1, newId);
                    ps.setString(2, oldId);
                    ps.executeUpdate();
                }
            }
            return items;
        });
        log.info("Patient merge moved {} step(s) to the surviving ID", changed);
        return changed;
    }

    private static void validateDemographics(Patient p) {
        maxLength(p.id(), 64, "PID-3", "Patient ID");
        maxLength(p.issuer(), 64, "PID-3.4", "Issuer of patient ID");
        maxLength(p.name(), 400, "PID-5", "Patient name");
        maxLength(p.sex(), 16, "PID-8", "Administrative sex");
    }

    private static int bindDemographics(PreparedStatement ps, Patient p, Instant now) throws SQLException {
        int i = 1;
        ps.setString(i++, personName(p.name()));
        ps.setString(i++, PersonNames.fold(personName(p.name())));
        SqlTime.setLocalDate(ps, i++, p.birthDate());
        ps.setString(i++, blankToNull(p.sex()));
        ps.setString(i++, blankToNull(p.issuer()));
        SqlTime.setInstant(ps, i++, now);
        return i;
    }

    /** A procedure with its idempotency key inside the order. */
    private static final class Keyed {
        final ProcedureRequest proc;
        final String stepKey;
        StoredItem existing;

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

    private static void maxLength(String value, int max, String field, String label) {
        if (value != null && value.trim().length() > max) {
            throw new OrderRejectedException(label + " (" + field + ") is longer than " + max + " characters", field);
        }
    }

    /**
     * A person name as stored and matched: trailing empty components dropped ("DOE^JOHN^^^" is "DOE^JOHN"),
     * the same normal form gateway-dicom gives query keys, so single-value matching compares like with like.
     */
    static String personName(String pn) {
        String s = blankToNull(pn);
        if (s == null) {
            return null;
        }
        s = s.replaceAll("[\\^ ]+$", "");
        return s.isEmpty() ? null : s;
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
