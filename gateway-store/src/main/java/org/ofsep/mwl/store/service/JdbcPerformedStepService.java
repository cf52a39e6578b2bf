package org.ofsep.mwl.store.service;

import org.ofsep.mwl.core.service.PerformedExams;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.ofsep.mwl.core.domain.PerformedStep;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.store.PerformedStepService;
import org.ofsep.mwl.core.store.StatusEvent;
import org.ofsep.mwl.store.Database;
import org.ofsep.mwl.store.ItemTable;
import org.ofsep.mwl.store.ItemTable.StoredItem;
import org.ofsep.mwl.store.JdbcOutboundQueue;
import org.ofsep.mwl.store.Json;
import org.ofsep.mwl.store.SqlTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MPPS (PS3.4 Annex F, IHE RAD-6/RAD-7) on the database. One transaction per call stores the instance, moves
 * the referenced scheduled steps, records a completed OFSEP exam in the patient's history and queues the
 * status for the RIS, so none of these can happen without the others. Any gateway instance sharing the
 * database can receive the N-CREATE or the N-SET of an instance.
 */
public final class JdbcPerformedStepService implements PerformedStepService {

    private static final Logger log = LoggerFactory.getLogger(JdbcPerformedStepService.class);

    public static final String IN_PROGRESS = "IN PROGRESS";
    public static final String COMPLETED = "COMPLETED";
    public static final String DISCONTINUED = "DISCONTINUED";

    private final Database db;
    private final Clock clock;
    private final Supplier<MappingSnapshot> mapping;

    /**
     * @param mapping the mapping in force, whose {@code protocolCodes} say which card and contrast a performed
     *                protocol code (OFSEP or a vendor's) stands for
     */
    public JdbcPerformedStepService(Database db, Supplier<MappingSnapshot> mapping, Clock clock) {
        this.db = Objects.requireNonNull(db);
        this.mapping = Objects.requireNonNull(mapping);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Without a mapping: only performed codes of scheme 99OFSEP are read, by their words. */
    public JdbcPerformedStepService(Database db, Clock clock) {
        this(db, () -> null, clock);
    }

    @Override
    public Result create(PerformedStep step) {
        if (!IN_PROGRESS.equals(norm(step.status()))) {
            return Result.INVALID_STATUS;
        }
        Result result = db.inTransaction(c -> {
            Instant now = clock.instant();
            if (currentStatus(c, step.sopInstanceUid()) != null) {
                return Result.DUPLICATE_INSTANCE;
            }
            insert(c, step, now);
            List<StoredItem> items = resolve(c, step);
            int started = 0;
            for (StoredItem s : items) {
                link(c, step.sopInstanceUid(), s.item().id());
                SpsStatus was = s.item().status();
                if (was == SpsStatus.SCHEDULED || was == SpsStatus.DISCONTINUED && discontinuedByMpps(c, s)) {
                    // a discontinued step performed again (a retake) is under way again, and the RIS hears it
                    ItemTable.updateStatus(c, s.item().id(), SpsStatus.STARTED, now);
                    enqueue(c, s.item(), "IP", step, now);
                    started++;
                } else if (was == SpsStatus.CANCELED) {
                    log.warn("MPPS {} is performing step {} of order {}, which the RIS canceled: the step stays "
                            + "canceled and nothing is sent to the RIS", step.sopInstanceUid(), s.item().spsId(),
                            s.item().placerOrderNumber());
                }
            }
            log.info("MPPS N-CREATE: IN PROGRESS, {} step(s) referenced, {} started{}", items.size(), started,
                    items.isEmpty() ? " (unscheduled)" : "");
            return Result.OK;
        });
        return result;
    }

    @Override
    public Result update(PerformedStep step) {
        String status = norm(step.status());
        if (!IN_PROGRESS.equals(status) && !COMPLETED.equals(status) && !DISCONTINUED.equals(status)) {
            return Result.INVALID_STATUS;
        }
        return db.inTransaction(c -> {
            Instant now = clock.instant();
            String current = currentStatus(c, step.sopInstanceUid());
            if (current == null) {
                return Result.NO_SUCH_INSTANCE;
            }
            if (!IN_PROGRESS.equals(current)) {
                return Result.NOT_IN_PROGRESS;
            }
            updateRow(c, step, status, now);
            // the N-SET may name steps the N-CREATE did not: link those too
            Map<Long, StoredItem> items = new LinkedHashMap<>();
            for (StoredItem s : ItemTable.byIds(c, linkedItemIds(c, step.sopInstanceUid()))) {
                items.put(s.item().id(), s);
            }
            for (StoredItem s : resolve(c, step)) {
                if (items.putIfAbsent(s.item().id(), s) == null) {
                    link(c, step.sopInstanceUid(), s.item().id());
                }
            }
            if (IN_PROGRESS.equals(status)) {
                return Result.OK;
            }
            if (step.wrongWorklistEntry()) {
                // IHE RAD TF-2 4.7.4.1.3.1: the modality picked the wrong worklist entry; that step was not
                // performed and is scheduled again (on the console's list, the RIS told), nothing goes to history
                for (StoredItem s : items.values()) {
                    if (s.item().status() == SpsStatus.STARTED) {
                        ItemTable.updateStatus(c, s.item().id(), SpsStatus.SCHEDULED, now);
                        enqueue(c, s.item(), "SC", step, now);
                    }
                }
                log.info("MPPS N-SET: DISCONTINUED, incorrect worklist entry selected: {} step(s) scheduled again",
                        items.size());
                return Result.OK;
            }
            SpsStatus target = COMPLETED.equals(status) ? SpsStatus.COMPLETED : SpsStatus.DISCONTINUED;
            String code = target == SpsStatus.COMPLETED ? "CM" : "DC";
            List<WorklistItem> performed = new ArrayList<>();
            for (StoredItem s : items.values()) {
                WorklistItem item = s.item();
                if (item.status() == SpsStatus.CANCELED) {
                    log.warn("MPPS {} {} step {} of order {}, which the RIS canceled: the step stays canceled and "
                            + "nothing is sent to the RIS", step.sopInstanceUid(), status, item.spsId(),
                            item.placerOrderNumber());
                    continue;
                }
                performed.add(item);
                if (item.status() == SpsStatus.SCHEDULED || item.status() == SpsStatus.STARTED
                        || item.status() == SpsStatus.DISCONTINUED && target == SpsStatus.COMPLETED
                        && discontinuedByMpps(c, s)) {
                    ItemTable.updateStatus(c, item.id(), target, now);
                    enqueue(c, item, code, step, now);
                }
            }
            boolean recorded = false;
            if (target == SpsStatus.COMPLETED) {
                Optional<PriorExam> exam = PerformedExams.priorExam(step, performed,
                        LocalDate.ofInstant(now, clock.getZone()), mapping.get());
                if (exam.isPresent()) {
                    recorded = ItemTable.addHistory(c, exam.get(), step.sopInstanceUid(), now);
                }
            }
            log.info("MPPS N-SET: {}, {} scheduled step(s){}", status, items.size(),
                    recorded ? ", exam recorded in the patient's history" : "");
            return Result.OK;
        });
    }

    @Override
    public Optional<PerformedStep> find(String sopInstanceUid) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM mpps WHERE sop_instance_uid = ?")) {
                ps.setString(1, sopInstanceUid);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<PerformedStep>empty();
                    }
                    String sps = rs.getString("sps_ids");
                    List<String> spsIds = sps == null || sps.isEmpty() ? List.of()
                            : Arrays.asList(sps.split("\\\\"));
                    return Optional.of(new PerformedStep(rs.getString("sop_instance_uid"), rs.getString("status"),
                            rs.getString("patient_id"), rs.getString("study_instance_uid"), spsIds,
                            rs.getString("accession_number"), rs.getString("station_ae_title"),
                            SqlTime.getLocalDateTime(rs, "pps_start"), SqlTime.getLocalDateTime(rs, "pps_end"),
                            Json.codes(rs.getString("performed_codes_json")), rs.getBytes("dataset")));
                }
            }
        });
    }

    /**
     * The worklist steps this MPPS is about: the step each item of its Scheduled Step Attributes Sequence names (the
     * IHE group case references several, possibly of several requested procedures whose SPS IDs repeat), found by
     * the item's SPS ID and narrowed by that item's own Study Instance UID, then accession, when the SPS ID alone is
     * ambiguous. A step of another patient than the MPPS's Patient ID is never one of them, and a reference that
     * still names several steps names none: the MPPS is kept (the exam happened) but moves no step, with a WARN,
     * rather than start or complete someone else's exam (before, an unmatched narrowing kept every candidate).
     * An item without SPS ID (Type 2) names the step by its Study Instance UID, and accession when given
     * ({@link #byStudy}).
     */
    private static List<StoredItem> resolve(Connection c, PerformedStep step) throws SQLException {
        List<StoredItem> all = new ArrayList<>();
        String patient = step.patientId() == null ? "" : step.patientId().trim();
        for (PerformedStep.StepReference r : step.references()) {
            if (r.spsId() == null || r.spsId().isBlank()) {
                for (StoredItem s : byStudy(c, step, patient, r)) {
                    if (all.stream().noneMatch(a -> a.item().id() == s.item().id())) {
                        all.add(s);
                    }
                }
                continue;
            }
            String sps = r.spsId().trim();
            List<StoredItem> candidates = ItemTable.bySpsIds(c, List.of(sps));
            if (!patient.isEmpty()) {
                // the MPPS patient's steps; another patient's only when the item names that very study (and
                // accession): a console that fetched its worklist before an ADT merge or ID change still reports
                // the Patient ID it had, and a Study Instance UID names one requested procedure
                String study = r.studyInstanceUid() == null ? "" : r.studyInstanceUid().trim();
                String acc = r.accessionNumber() == null ? "" : r.accessionNumber().trim();
                List<StoredItem> own = candidates.stream().filter(s -> patient.equals(s.item().patient().id())
                        || !study.isEmpty() && study.equals(s.item().studyInstanceUid())
                        && (acc.isEmpty() || acc.equals(s.item().accessionNumber()))).toList();
                if (own.stream().anyMatch(s -> !patient.equals(s.item().patient().id()))) {
                    log.warn("MPPS {} names Patient ID other than its step's (SPS ID {}, same Study Instance UID): "
                            + "linked (a merge or an ID change since the console read its worklist)",
                            step.sopInstanceUid(), sps);
                }
                if (own.size() < candidates.size()) {
                    log.warn("MPPS {} references SPS ID {}, which {} step(s) of another patient also carry: those "
                            + "are not touched", step.sopInstanceUid(), sps, candidates.size() - own.size());
                }
                candidates = own;
            }
            int same = candidates.size();
            if (candidates.size() > 1) {
                List<StoredItem> byStudy = narrow(candidates, r.studyInstanceUid(), s -> s.item().studyInstanceUid());
                // a console may write a Study Instance UID of its own: then the accession decides
                candidates = byStudy.isEmpty() ? narrow(candidates, r.accessionNumber(), s -> s.item().accessionNumber())
                        : byStudy.size() > 1 ? narrow(byStudy, r.accessionNumber(), s -> s.item().accessionNumber())
                        : byStudy;
            }
            if (candidates.isEmpty() && same > 1) {
                log.warn("MPPS {} references SPS ID {}, which {} steps carry, none with its Study Instance UID and "
                        + "accession: none is linked", step.sopInstanceUid(), sps, same);
            }
            if (candidates.size() > 1) {
                log.warn("MPPS {} references SPS ID {}, which {} steps carry and its Study Instance UID and accession"
                        + " do not tell apart: none is linked", step.sopInstanceUid(), sps, candidates.size());
                continue;
            }
            for (StoredItem s : candidates) {
                if (all.stream().noneMatch(a -> a.item().id() == s.item().id())) {
                    all.add(s);
                }
            }
        }
        return all;
    }

    /**
     * The step an item without SPS ID names by its Study Instance UID (the one the worklist published), and its
     * accession when given: only a step of the MPPS's own Patient ID, and only when exactly one step answers; several
     * name none (WARN), and an MPPS without Patient ID names none. A study UID of the console's own names no step (the
     * MPPS stays unscheduled).
     */
    private static List<StoredItem> byStudy(Connection c, PerformedStep step, String patient,
                                            PerformedStep.StepReference r) throws SQLException {
        String study = r.studyInstanceUid() == null ? "" : r.studyInstanceUid().trim();
        if (study.isEmpty() || patient.isEmpty()) {
            return List.of();
        }
        String acc = r.accessionNumber() == null ? "" : r.accessionNumber().trim();
        List<StoredItem> candidates = ItemTable.byStudyInstanceUid(c, study);
        List<StoredItem> own = candidates.stream().filter(s -> patient.equals(s.item().patient().id())).toList();
        if (own.size() < candidates.size()) {
            log.warn("MPPS {} names without SPS ID a Study Instance UID that {} step(s) of another patient carry: "
                    + "those are not touched", step.sopInstanceUid(), candidates.size() - own.size());
        }
        List<StoredItem> named = acc.isEmpty() ? own
                : own.stream().filter(s -> acc.equals(s.item().accessionNumber())).toList();
        if (named.isEmpty() && !own.isEmpty()) {
            log.warn("MPPS {} names without SPS ID the Study Instance UID of {} step(s) of its patient, none with its "
                    + "accession: none is linked", step.sopInstanceUid(), own.size());
        }
        if (named.size() > 1) {
            log.warn("MPPS {} names without SPS ID a Study Instance UID{} that {} steps of its patient carry: none is "
                    + "linked", step.sopInstanceUid(), acc.isEmpty() ? "" : " and accession", named.size());
            return List.of();
        }
        return named;
    }

    /**
     * Whether a DISCONTINUED step was discontinued by a modality (an MPPS of it ended DISCONTINUED): only such a step
     * is started again by a new MPPS (a retake); one the RIS discontinued (ORC DC) stays discontinued.
     */
    private static boolean discontinuedByMpps(Connection c, StoredItem s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM mpps_item i JOIN mpps m ON m.sop_instance_uid "
                + "= i.mpps_uid WHERE i.item_id = ? AND m.status = 'DISCONTINUED'")) {
            ps.setLong(1, s.item().id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The items whose key is {@code value}; all of them when it is not given. */
    private static List<StoredItem> narrow(List<StoredItem> items, String value,
                                           java.util.function.Function<StoredItem, String> key) {
        if (value == null || value.isBlank()) {
            return items;
        }
        return items.stream().filter(s -> value.trim().equals(key.apply(s))).toList();
    }

    private static String currentStatus(Connection c, String uid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT status FROM mpps WHERE sop_instance_uid = ? FOR UPDATE")) {
            ps.setString(1, uid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void insert(Connection c, PerformedStep s, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mpps (status, patient_id, study_instance_uid, "
                + "accession_number, sps_ids, station_ae_title, pps_start, pps_end, performed_codes_json, dataset, "
                + "created_at, updated_at, sop_instance_uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = bind(ps, s, IN_PROGRESS, now);
            SqlTime.setInstant(ps, i++, now);
            ps.setString(i, s.sopInstanceUid());
            ps.executeUpdate();
        }
    }

    private static void updateRow(Connection c, PerformedStep s, String status, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE mpps SET status = ?, patient_id = ?, "
                + "study_instance_uid = ?, accession_number = ?, sps_ids = ?, station_ae_title = ?, pps_start = ?, "
                + "pps_end = ?, performed_codes_json = ?, dataset = ?, updated_at = ? WHERE sop_instance_uid = ?")) {
            int i = bind(ps, s, status, now);
            ps.setString(i, s.sopInstanceUid());
            ps.executeUpdate();
        }
    }

    /** Binds status .. dataset and updated_at; returns the next index. */
    private static int bind(PreparedStatement ps, PerformedStep s, String status, Instant now) throws SQLException {
        // the columns are searchable copies sized to the DICOM VRs; the full dataset is kept as sent
        int i = 1;
        ps.setString(i++, status);
        ps.setString(i++, clip(s.patientId(), 64));
        ps.setString(i++, clip(s.studyInstanceUid(), 64));
        ps.setString(i++, clip(s.accessionNumber(), 64));
        ps.setString(i++, clip(String.join("\\", s.scheduledStepIds()), 2000));
        ps.setString(i++, clip(s.performedStationAeTitle(), 16));
        SqlTime.setLocalDateTime(ps, i++, s.start());
        SqlTime.setLocalDateTime(ps, i++, s.end());
        ps.setString(i++, Json.write(s.performedProtocolCodes()));
        if (s.dataset() == null) {
            ps.setNull(i++, Types.BINARY);
        } else {
            ps.setBytes(i++, s.dataset());
        }
        SqlTime.setInstant(ps, i++, now);
        return i;
    }

    private static void link(Connection c, String uid, long itemId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mpps_item (mpps_uid, item_id) VALUES (?, ?)")) {
            ps.setString(1, uid);
            ps.setLong(2, itemId);
            ps.executeUpdate();
        }
    }

    private static List<Long> linkedItemIds(Connection c, String uid) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT item_id FROM mpps_item WHERE mpps_uid = ? ORDER BY item_id")) {
            ps.setString(1, uid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private static void enqueue(Connection c, WorklistItem item, String status, PerformedStep step, Instant now)
            throws SQLException {
        Instant occurred = now;
        JdbcOutboundQueue.enqueue(c, new StatusEvent(0, item.placerOrderNumber(), item.fillerOrderNumber(),
                item.accessionNumber(), item.spsId(), item.patient().id(), status, occurred, 0,
                new StatusEvent.Details(item.patient().name(), item.patient().issuer(), item.requestedProcedureId(),
                        item.studyInstanceUid(), item.requestedProcedureCode())), now);
    }

    private static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private static String norm(String status) {
        return status == null ? "" : status.trim().toUpperCase(java.util.Locale.ROOT);
    }
}
