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
import org.ofsep.mwl.core.domain.PerformedStep;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.WorklistItem;
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

    public JdbcPerformedStepService(Database db, Clock clock) {
        this.db = Objects.requireNonNull(db);
        this.clock = Objects.requireNonNull(clock);
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
            for (StoredItem s : items) {
                link(c, step.sopInstanceUid(), s.item().id());
                if (s.item().status() == SpsStatus.SCHEDULED) {
                    ItemTable.updateStatus(c, s.item().id(), SpsStatus.STARTED, now);
                    enqueue(c, s.item(), "IP", step, now);
                }
            }
            log.info("MPPS N-CREATE: IN PROGRESS, {} scheduled step(s) started{}", items.size(),
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
            SpsStatus target = COMPLETED.equals(status) ? SpsStatus.COMPLETED : SpsStatus.DISCONTINUED;
            String code = target == SpsStatus.COMPLETED ? "CM" : "DC";
            List<WorklistItem> performed = new ArrayList<>();
            for (StoredItem s : items.values()) {
                WorklistItem item = s.item();
                performed.add(item);
                if (item.status() == SpsStatus.SCHEDULED || item.status() == SpsStatus.STARTED) {
                    ItemTable.updateStatus(c, item.id(), target, now);
                    enqueue(c, item, code, step, now);
                }
            }
            boolean recorded = false;
            if (target == SpsStatus.COMPLETED) {
                Optional<PriorExam> exam = PerformedExams.priorExam(step, performed,
                        LocalDate.ofInstant(now, clock.getZone()));
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
     * The worklist steps this MPPS is about: every SPS ID it references (the IHE group case references several,
     * possibly of several requested procedures, each with its own study and accession), each narrowed on its own
     * by Study Instance UID, accession and patient when the SPS ID alone is ambiguous.
     */
    private static List<StoredItem> resolve(Connection c, PerformedStep step) throws SQLException {
        List<String> spsIds = step.scheduledStepIds().stream().filter(s -> s != null && !s.isBlank())
                .map(String::trim).distinct().toList();
        if (spsIds.isEmpty()) {
            return List.of();
        }
        List<StoredItem> all = new ArrayList<>();
        for (String sps : spsIds) {
            List<StoredItem> candidates = ItemTable.bySpsIds(c, List.of(sps));
            // SPS IDs from the RIS are only unique inside a requested procedure: narrow by the other references.
            // Narrowing one SPS ID at a time: the references of the first step must not drop the second one's.
            candidates = narrow(candidates, step.patientId(), s -> s.item().patient().id());
            candidates = narrow(candidates, step.studyInstanceUid(), s -> s.item().studyInstanceUid());
            candidates = narrow(candidates, step.accessionNumber(), s -> s.item().accessionNumber());
            for (StoredItem s : candidates) {
                if (all.stream().noneMatch(a -> a.item().id() == s.item().id())) {
                    all.add(s);
                }
            }
        }
        return all;
    }

    private static List<StoredItem> narrow(List<StoredItem> items, String value,
                                           java.util.function.Function<StoredItem, String> key) {
        if (value == null || value.isBlank() || items.size() <= 1) {
            return items;
        }
        List<StoredItem> same = items.stream().filter(s -> value.trim().equals(key.apply(s))).toList();
        return same.isEmpty() ? items : same;
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
                item.accessionNumber(), item.spsId(), item.patient().id(), status, occurred, 0), now);
    }

    private static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private static String norm(String status) {
        return status == null ? "" : status.trim().toUpperCase(java.util.Locale.ROOT);
    }
}
