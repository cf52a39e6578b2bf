package org.ofsep.mwl.store;

import org.ofsep.mwl.core.domain.PersonNames;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.RequestedPriority;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.decision.WorklistTexts;
import java.util.Map;

/**
 * SQL for the worklist_item and prior_exam tables, on a connection the caller owns (so the order and MPPS
 * services can use it inside their own transactions).
 */
public final class ItemTable {

    /** A stored step with the key that makes a resent order find it again. */
    public record StoredItem(WorklistItem item, String stepKey) {
    }

    /**
     * Part of every UPDATE of worklist_item (here and in {@link Housekeeping}): the row's version grows with each
     * change, so a reader holding the step at its current version may reuse it ({@link ItemCache}). A test
     * ({@code RowVersionTest}) fails when an UPDATE of worklist_item in this module lacks it.
     */
    static final String ROW_VERSION_BUMP = "row_version = row_version + 1";

    static final String COLUMNS = "id, row_version, placer_order_number, step_key, filler_order_number, sps_id, "
            + "requested_procedure_id, accession_number, study_instance_uid, patient_id, issuer_of_patient_id, "
            + "patient_name, patient_birth_date, patient_sex, weight_kg, procedure_code_value, "
            + "procedure_code_scheme, procedure_code_meaning, procedure_description, scheduled_start, modality, "
            + "station_ae_title, station_name, sps_description, reason, referring_physician, status, "
            + "specific_character_set, requested_procedure_priority, " + DecisionColumns.COLUMNS;

    private static final String DATA_COLUMNS = "placer_order_number, step_key, filler_order_number, sps_id, "
            + "requested_procedure_id, accession_number, study_instance_uid, patient_id, issuer_of_patient_id, "
            + "patient_name, patient_name_norm, patient_birth_date, patient_sex, weight_kg, procedure_code_value, "
            + "procedure_code_scheme, procedure_code_meaning, procedure_description, scheduled_start, modality, "
            + "station_ae_title, station_name, sps_description, reason, referring_physician, status, "
            + "specific_character_set, requested_procedure_priority, " + DecisionColumns.COLUMNS;
    private static final int DATA_COUNT = DATA_COLUMNS.split(",").length;

    private ItemTable() {
    }

    /** Inserts a new step; returns its generated id. A concurrent insert of the same step fails with 23505. */
    public static long insert(Connection c, WorklistItem item, String stepKey, Instant now) throws SQLException {
        return insert(c, item, stepKey, now, null);
    }

    /**
     * Inserts a step; {@code orderWrittenOn} is the day its order was written (V17), from which a later change's
     * relative dates are counted ({@link #orderWrittenOn}), or null.
     */
    public static long insert(Connection c, WorklistItem item, String stepKey, Instant now,
                              java.time.LocalDate orderWrittenOn) throws SQLException {
        String sql = "INSERT INTO worklist_item (" + DATA_COLUMNS + ", created_at, updated_at, order_written_on) "
                + "VALUES (" + "?,".repeat(DATA_COUNT) + "?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql, new String[] {"id"})) {
            int i = bindData(ps, item, stepKey);
            SqlTime.setInstant(ps, i++, now);
            SqlTime.setInstant(ps, i++, now);
            if (orderWrittenOn == null) {
                ps.setNull(i, java.sql.Types.DATE);
            } else {
                ps.setObject(i, orderWrittenOn);
            }
            ps.executeUpdate();
            long id;
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no generated key for worklist_item");
                }
                id = keys.getLong(1);
            }
            DecisionColumns.writeCodes(c, id, item.decision(), false);
            return id;
        }
    }

    /**
     * The day the order was first written, as its steps keep it (V17): the earliest of them, or null when none
     * was stored with one.
     */
    public static java.time.LocalDate orderWrittenOn(Connection c, String placerOrderNumber) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT MIN(order_written_on) FROM worklist_item WHERE placer_order_number = ?")) {
            ps.setString(1, placerOrderNumber);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1, java.time.LocalDate.class) : null;
            }
        }
    }

    /** Rewrites every column of a stored step (same id). */
    public static void update(Connection c, WorklistItem item, String stepKey, Instant now) throws SQLException {
        StringBuilder set = new StringBuilder();
        for (String col : DATA_COLUMNS.split(",\\s*")) {
            set.append(col).append(" = ?, ");
        }
        String sql = "UPDATE worklist_item SET " + set + ROW_VERSION_BUMP + ", updated_at = ? WHERE id = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bindData(ps, item, stepKey);
            SqlTime.setInstant(ps, i++, now);
            ps.setLong(i, item.id());
            if (ps.executeUpdate() != 1) {
                throw new SQLException("worklist item " + item.id() + " vanished during update", "40001");
            }
        }
        DecisionColumns.writeCodes(c, item.id(), item.decision(), true);
    }

    /**
     * Writes only what changed of a stored step: the columns whose value differs from {@code previous} (the step as
     * read in this transaction), and its protocol codes only when they differ. A re-decision that changes nothing
     * the console sees (the PACS answer only adds a line to the reasons) then rewrites two text columns instead of
     * the whole row and every protocol code row (issue #13: 2,509 of 2,796 re-decisions of a bench run were such).
     * The row's version grows with any change ({@link #ROW_VERSION_BUMP}), so the item cache sees it.
     *
     * @return the number of columns written (protocol codes counted as one); 0 when nothing differs (no statement)
     */
    public static int updateChanged(Connection c, WorklistItem previous, WorklistItem item, String stepKey,
                                    Instant now) throws SQLException {
        if (previous.id() != item.id()) {
            throw new IllegalArgumentException("not the same step: " + previous.id() + " and " + item.id());
        }
        Binding[] was = Binding.of(previous, stepKey);
        Binding[] next = Binding.of(item, stepKey);
        String[] names = DATA_COLUMNS.split(",\\s*");
        List<Integer> changed = new ArrayList<>();
        for (int k = 0; k < names.length; k++) {
            if (!Binding.same(was[k], next[k])) {
                changed.add(k);
            }
        }
        boolean codes = !sameCodes(previous.decision(), item.decision());
        if (changed.isEmpty() && !codes) {
            return 0;
        }
        StringBuilder set = new StringBuilder();
        for (int k : changed) {
            set.append(names[k]).append(" = ?, ");
        }
        // only the codes changed: the row is not rewritten, but its version still grows (the item cache keys on it)
        String sql = "UPDATE worklist_item SET " + set + ROW_VERSION_BUMP + ", updated_at = ? WHERE id = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (int k : changed) {
                next[k].replay(ps, i++);
            }
            SqlTime.setInstant(ps, i++, now);
            ps.setLong(i, item.id());
            if (ps.executeUpdate() != 1) {
                throw new SQLException("worklist item " + item.id() + " vanished during update", "40001");
            }
        }
        if (codes) {
            DecisionColumns.writeCodes(c, item.id(), item.decision(), true);
        }
        return changed.size() + (codes ? 1 : 0);
    }

    /** Whether two decisions carry the same protocol codes (what item_protocol_code holds for a step). */
    static boolean sameCodes(Decision a, Decision b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.defaultCodes().equals(b.defaultCodes()) && a.vendorCodes().equals(b.vendorCodes());
    }

    /**
     * One parameter as {@link #bindData} binds it (the setter and its value), recorded instead of sent, so that two
     * versions of a step are compared column by column exactly as they would be written.
     */
    private record Binding(java.lang.reflect.Method setter, Object[] args) {

        static Binding[] of(WorklistItem item, String stepKey) throws SQLException {
            Binding[] out = new Binding[DATA_COUNT];
            PreparedStatement recorder = (PreparedStatement) java.lang.reflect.Proxy.newProxyInstance(
                    ItemTable.class.getClassLoader(), new Class<?>[] {PreparedStatement.class}, (proxy, m, args) -> {
                        if (m.getName().startsWith("set") && args != null && args.length >= 2
                                && args[0] instanceof Integer index) {
                            out[index - 1] = new Binding(m, args.clone());
                            return null;
                        }
                        throw new UnsupportedOperationException(m.getName());
                    });
            bindData(recorder, item, stepKey);
            return out;
        }

        static boolean same(Binding a, Binding b) {
            if (a == null || b == null) {
                return a == b;
            }
            if (!a.setter.equals(b.setter) || a.args.length != b.args.length) {
                return false;
            }
            for (int k = 1; k < a.args.length; k++) {
                if (!java.util.Objects.deepEquals(a.args[k], b.args[k])) {
                    return false;
                }
            }
            return true;
        }

        void replay(PreparedStatement ps, int index) throws SQLException {
            Object[] a = args.clone();
            a[0] = index;
            try {
                setter.invoke(ps, a);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            } catch (java.lang.reflect.InvocationTargetException e) {
                if (e.getCause() instanceof SQLException s) {
                    throw s;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    public static void updateStatus(Connection c, long id, SpsStatus status, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE worklist_item SET status = ?, " + ROW_VERSION_BUMP + ", updated_at = ? WHERE id = ?")) {
            ps.setString(1, status.name());
            SqlTime.setInstant(ps, 2, now);
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }

    /**
     * ADT^A08/A31: the patient's demographics on every step of that patient in one of {@code statuses} (fields
     * the update leaves empty keep their value; with an issuer, only steps of that issuer or of none). Returns
     * the number of steps changed.
     */
    public static int updateDemographics(Connection c, Patient patient, Collection<SpsStatus> statuses,
                                         Instant now) throws SQLException {
        if (statuses.isEmpty()) {
            return 0;
        }
        StringBuilder sql = new StringBuilder("UPDATE worklist_item SET patient_name = COALESCE(?, patient_name), "
                + "patient_name_norm = COALESCE(?, patient_name_norm), "
                + "patient_birth_date = COALESCE(?, patient_birth_date), patient_sex = COALESCE(?, patient_sex), "
                + "issuer_of_patient_id = COALESCE(?, issuer_of_patient_id), " + ROW_VERSION_BUMP + ", updated_at = ? "
                + "WHERE patient_id = ? AND status IN (");
        sql.append(String.join(", ", statuses.stream().map(st -> "'" + st.name() + "'").toList())).append(")");
        if (patient.issuer() != null) {
            sql.append(" AND (issuer_of_patient_id = ? OR issuer_of_patient_id IS NULL)");
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = bindDemographics(ps, patient);
            SqlTime.setInstant(ps, i++, now);
            ps.setString(i++, patient.id());
            if (patient.issuer() != null) {
                ps.setString(i, patient.issuer());
            }
            return ps.executeUpdate();
        }
    }

    /**
     * Binds parameters 1 to 5 of a demographics UPDATE (name, its folded form, birth date, sex, issuer), in that
     * order; returns the next index.
     */
    private static int bindDemographics(PreparedStatement ps, Patient p) throws SQLException {
        int i = 1;
        ps.setString(i++, p.name());
        ps.setString(i++, PersonNames.fold(p.name()));
        SqlTime.setLocalDate(ps, i++, p.birthDate());
        ps.setString(i++, p.sex());
        ps.setString(i++, p.issuer());
        return i;
    }

    /**
     * ADT^A40: moves every step of {@code oldPatientId} (of {@code oldIssuer} or of none, when given) to the
     * survivor with its demographics, and the old ID's exam history and MPPS with them. Returns the number of
     * steps moved.
     */
    public static int mergePatient(Connection c, Patient survivor, String oldPatientId, String oldIssuer,
                                   Instant now) throws SQLException {
        String issuerCond = oldIssuer == null ? ""
                : " AND (issuer_of_patient_id = ? OR issuer_of_patient_id IS NULL)";
        int items;
        try (PreparedStatement ps = c.prepareStatement("UPDATE worklist_item SET patient_name = COALESCE(?, "
                + "patient_name), patient_name_norm = COALESCE(?, patient_name_norm), "
                + "patient_birth_date = COALESCE(?, patient_birth_date), patient_sex = COALESCE(?, patient_sex), "
                + "issuer_of_patient_id = ?, " + ROW_VERSION_BUMP + ", updated_at = ?, patient_id = ? "
                + "WHERE patient_id = ?" + issuerCond)) {
            int i = bindDemographics(ps, survivor);
            SqlTime.setInstant(ps, i++, now);
            ps.setString(i++, survivor.id());
            ps.setString(i++, oldPatientId);
            if (oldIssuer != null) {
                ps.setString(i, oldIssuer);
            }
            items = ps.executeUpdate();
        }
        for (String table : List.of("prior_exam", "mpps")) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE " + table + " SET patient_id = ? WHERE patient_id = ?")) {
                ps.setString(1, survivor.id());
                ps.setString(2, oldPatientId);
                ps.executeUpdate();
            }
        }
        return items;
    }

    /**
     * Every step of an order, in insertion order, locked for update so concurrent changes serialise. A new
     * order (the common case) has no rows to lock: a plain, plan-cached select answers it, and only an existing
     * order pays for the FOR UPDATE statement (which H2 parses anew each time). Two racing new orders are kept
     * apart by the unique step key instead.
     */
    public static List<StoredItem> byPlacerOrder(Connection c, String placerOrderNumber) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM worklist_item WHERE placer_order_number = ?")) {
            ps.setString(1, placerOrderNumber);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return List.of();
                }
            }
        }
        return select(c, "SELECT " + COLUMNS + " FROM worklist_item WHERE placer_order_number = ? ORDER BY id FOR UPDATE",
                placerOrderNumber);
    }

    public static List<StoredItem> bySpsIds(Connection c, Collection<String> spsIds) throws SQLException {
        List<StoredItem> all = new ArrayList<>();
        for (String sps : spsIds) {
            all.addAll(select(c, "SELECT " + COLUMNS + " FROM worklist_item WHERE sps_id = ? ORDER BY id FOR UPDATE",
                    sps));
        }
        return all;
    }

    /** The steps of this Study Instance UID, locked for update (an MPPS that names its step by its study). */
    public static List<StoredItem> byStudyInstanceUid(Connection c, String studyInstanceUid) throws SQLException {
        return select(c, "SELECT " + COLUMNS + " FROM worklist_item WHERE study_instance_uid = ? ORDER BY id FOR UPDATE",
                studyInstanceUid);
    }

    /** The steps with this accession number, locked for update (a review action). */
    public static List<StoredItem> byAccession(Connection c, String accessionNumber) throws SQLException {
        return select(c, "SELECT " + COLUMNS + " FROM worklist_item WHERE accession_number = ? ORDER BY id FOR UPDATE",
                accessionNumber);
    }

    /** The steps with this accession number, without locks (reads). */
    public static List<StoredItem> byAccessionNoLock(Connection c, String accessionNumber) throws SQLException {
        return select(c, "SELECT " + COLUMNS + " FROM worklist_item WHERE accession_number = ? ORDER BY id",
                accessionNumber);
    }

    /** Steps by id, without locks (reads). */
    public static List<StoredItem> byIdsNoLock(Connection c, Collection<Long> ids) throws SQLException {
        List<StoredItem> all = new ArrayList<>();
        for (long id : ids) {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM worklist_item WHERE id = ?")) {
                ps.setLong(1, id);
                List<Row> rows = new ArrayList<>(1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(read(rs));
                    }
                }
                all.addAll(complete(c, rows));
            }
        }
        return all;
    }

    public static List<StoredItem> byIds(Connection c, Collection<Long> ids) throws SQLException {
        List<StoredItem> all = new ArrayList<>();
        for (long id : ids) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM worklist_item WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, id);
                List<Row> rows = new ArrayList<>(1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(read(rs));
                    }
                }
                all.addAll(complete(c, rows));
            }
        }
        return all;
    }

    static List<StoredItem> select(Connection c, String sql, String param) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(read(rs));
                }
            }
        }
        return complete(c, rows);
    }

    /** A new Requested Procedure ID or SPS ID from the database sequence, unique across gateway instances. */
    public static long nextGeneratedId(Connection c) throws SQLException {
        // H2 runs nextval('name') by parsing the name with a new SQL parser on every call; its standard form names
        // the sequence in the statement, resolved once when the (cached) statement is prepared
        String sql = c.isWrapperFor(org.h2.jdbc.JdbcConnection.class) ? "VALUES NEXT VALUE FOR generated_id_seq"
                : "SELECT nextval('generated_id_seq')";
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The stations (AE titles) steps still SCHEDULED or STARTED name, with how many each. */
    public static java.util.Map<String, Long> pendingByStation(Connection c) throws SQLException {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT station_ae_title, COUNT(*) FROM worklist_item WHERE "
                + "status IN ('SCHEDULED', 'STARTED') GROUP BY station_ae_title");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (rs.getString(1) != null) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** How many steps still SCHEDULED or STARTED name this station (AE title). */
    public static long pendingOn(Connection c, String stationAeTitle) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM worklist_item WHERE station_ae_title = ?"
                + " AND status IN ('SCHEDULED', 'STARTED')")) {
            ps.setString(1, stationAeTitle);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The patient's completed exams, newest first. */
    public static List<PriorExam> history(Connection c, String patientId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + EXAM_COLUMNS + " FROM prior_exam "
                + "WHERE patient_id = ? ORDER BY exam_date DESC, id DESC")) {
            ps.setString(1, patientId);
            return priorExams(ps);
        }
    }

    /** Every patient's exams performed from {@code from} to {@code to} inclusive (the Gd report), oldest first. */
    public static List<PriorExam> exams(Connection c, LocalDate from, LocalDate to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + EXAM_COLUMNS + " FROM prior_exam "
                + "WHERE exam_date >= ? AND exam_date <= ? ORDER BY exam_date, id")) {
            SqlTime.setLocalDate(ps, 1, from);
            SqlTime.setLocalDate(ps, 2, to);
            return priorExams(ps);
        }
    }

    private static final String EXAM_COLUMNS = "patient_id, exam_date, exam_card, contrast, contrast_mmol, spine, "
            + "accession_number";

    private static List<PriorExam> priorExams(PreparedStatement ps) throws SQLException {
        List<PriorExam> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String card = rs.getString("exam_card");
                double mmol = rs.getDouble("contrast_mmol");
                Double mmolOrNull = rs.wasNull() ? null : mmol;
                out.add(new PriorExam(rs.getString("patient_id"), SqlTime.getLocalDate(rs, "exam_date"),
                        card == null ? null : ExamCard.valueOf(card), rs.getBoolean("contrast"), mmolOrNull,
                        rs.getBoolean("spine"), rs.getString("accession_number")));
            }
        }
        return out;
    }

    /**
     * Records an exam in the history. With an MPPS UID, a second call for the same MPPS does nothing.
     *
     * @return true when recorded
     */
    public static boolean addHistory(Connection c, PriorExam exam, String mppsUid, Instant now) throws SQLException {
        if (mppsUid != null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM prior_exam WHERE mpps_uid = ?")) {
                ps.setString(1, mppsUid);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO prior_exam (patient_id, exam_date, exam_card, "
                + "contrast, contrast_mmol, spine, accession_number, mpps_uid, recorded_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, exam.patientId());
            SqlTime.setLocalDate(ps, 2, exam.date());
            ps.setString(3, exam.examCard() == null ? null : exam.examCard().name());
            ps.setBoolean(4, exam.contrast());
            if (exam.contrastMmol() == null) {
                ps.setNull(5, Types.DOUBLE);
            } else {
                ps.setDouble(5, exam.contrastMmol());
            }
            ps.setBoolean(6, exam.spine());
            ps.setString(7, exam.accessionNumber());
            ps.setString(8, mppsUid);
            SqlTime.setInstant(ps, 9, now);
            ps.executeUpdate();
            return true;
        }
    }

    private static int bindData(PreparedStatement ps, WorklistItem item, String stepKey) throws SQLException {
        Patient p = item.patient();
        ProtocolCode code = item.requestedProcedureCode();
        int i = 1;
        ps.setString(i++, item.placerOrderNumber());
        ps.setString(i++, stepKey);
        ps.setString(i++, item.fillerOrderNumber());
        ps.setString(i++, item.spsId());
        ps.setString(i++, item.requestedProcedureId());
        ps.setString(i++, item.accessionNumber());
        ps.setString(i++, item.studyInstanceUid());
        ps.setString(i++, p.id());
        ps.setString(i++, p.issuer());
        ps.setString(i++, p.name());
        ps.setString(i++, PersonNames.fold(p.name()));
        SqlTime.setLocalDate(ps, i++, p.birthDate());
        ps.setString(i++, p.sex());
        if (item.weightKg() == null) {
            ps.setNull(i++, Types.DOUBLE);
        } else {
            ps.setDouble(i++, item.weightKg());
        }
        ps.setString(i++, code == null ? null : code.value());
        ps.setString(i++, code == null ? null : code.scheme());
        ps.setString(i++, code == null ? null : code.meaning());
        ps.setString(i++, item.requestedProcedureDescription());
        SqlTime.setLocalDateTime(ps, i++, item.scheduledStart());
        ps.setString(i++, item.modality());
        ps.setString(i++, item.stationAeTitle());
        ps.setString(i++, item.stationName());
        ps.setString(i++, item.spsDescription());
        ps.setString(i++, item.reason());
        ps.setString(i++, item.referringPhysician());
        ps.setString(i++, item.status().name());
        // the worklist texts derived from the decision (alerts, comments, contrast agent) are not stored: they
        // are rendered from the decision when the item is read
        ps.setString(i++, item.specificCharacterSet());
        ps.setString(i++, item.priority() == null ? null : item.priority().name());
        return DecisionColumns.bind(ps, i, item.decision());
    }

    /** 1-based position of a column in {@link #COLUMNS}. */
    private static int column(String name) {
        String[] names = COLUMNS.split(",\\s*");
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("no column " + name + " in ItemTable.COLUMNS");
    }

    // Positions in COLUMNS: a row is read by index, not by name (H2 looks a name up on every call, ~24 per row).
    static final int ID = column("id");
    static final int ROW_VERSION = column("row_version");
    private static final int PLACER = column("placer_order_number");
    private static final int FILLER = column("filler_order_number");
    private static final int SPS_ID = column("sps_id");
    private static final int RP_ID = column("requested_procedure_id");
    private static final int ACCESSION = column("accession_number");
    private static final int STUDY_UID = column("study_instance_uid");
    private static final int PATIENT_ID = column("patient_id");
    private static final int ISSUER = column("issuer_of_patient_id");
    private static final int PATIENT_NAME = column("patient_name");
    private static final int BIRTH_DATE = column("patient_birth_date");
    private static final int SEX = column("patient_sex");
    private static final int WEIGHT = column("weight_kg");
    private static final int CODE_VALUE = column("procedure_code_value");
    private static final int CODE_SCHEME = column("procedure_code_scheme");
    private static final int CODE_MEANING = column("procedure_code_meaning");
    private static final int PROCEDURE_DESCRIPTION = column("procedure_description");
    private static final int START = column("scheduled_start");
    private static final int MODALITY = column("modality");
    private static final int STATION_AE = column("station_ae_title");
    private static final int STATION_NAME = column("station_name");
    private static final int SPS_DESCRIPTION = column("sps_description");
    private static final int REASON = column("reason");
    private static final int REFERRING = column("referring_physician");
    private static final int STATUS = column("status");
    private static final int CHARSET = column("specific_character_set");
    private static final int PRIORITY = column("requested_procedure_priority");
    private static final int STEP_KEY = column("step_key");
    /** The decision's columns come last, from here on. */
    private static final int DECISION = column("ofsep");

    /**
     * One row read (selected with {@link #COLUMNS}, in that order): the step without its decision, and the
     * decision's columns waiting for its protocol codes ({@link #complete}).
     */
    public record Row(WorklistItem item, DecisionColumns.Parts decision, String stepKey) {
    }

    /** Maps the current row to a {@link Row}; its decision is completed by {@link #complete}. */
    public static Row read(ResultSet rs) throws SQLException {
        Patient patient = new Patient(rs.getString(PATIENT_ID), rs.getString(ISSUER),
                rs.getString(PATIENT_NAME), SqlTime.getLocalDate(rs, BIRTH_DATE),
                rs.getString(SEX));
        double w = rs.getDouble(WEIGHT);
        Double weight = rs.wasNull() ? null : w;
        String codeValue = rs.getString(CODE_VALUE);
        String codeScheme = rs.getString(CODE_SCHEME);
        String codeMeaning = rs.getString(CODE_MEANING);
        ProtocolCode code = codeValue == null && codeScheme == null && codeMeaning == null ? null
                : new ProtocolCode(codeValue, codeScheme, codeMeaning);
        String priority = rs.getString(PRIORITY); // NULL for a step stored before V18
        WorklistItem item = new WorklistItem(rs.getLong(ID), rs.getString(SPS_ID), rs.getString(RP_ID),
                rs.getString(ACCESSION), rs.getString(STUDY_UID),
                rs.getString(PLACER), rs.getString(FILLER), patient, weight, code,
                rs.getString(PROCEDURE_DESCRIPTION), SqlTime.getLocalDateTime(rs, START),
                rs.getString(MODALITY), rs.getString(STATION_AE), rs.getString(STATION_NAME),
                rs.getString(SPS_DESCRIPTION), rs.getString(REASON), rs.getString(REFERRING),
                SpsStatus.valueOf(rs.getString(STATUS)), null, List.of(), null, null, rs.getString(CHARSET),
                priority == null ? null : RequestedPriority.valueOf(priority));
        return new Row(item, DecisionColumns.read(rs, DECISION), rs.getString(STEP_KEY));
    }

    /**
     * The rows as worklist items: their protocol codes read in batches, the worklist texts (Medical Alerts,
     * Requested Contrast Agent, Requested Procedure Comments) rendered from the decision, once, by
     * {@link WorklistTexts}.
     */
    public static List<StoredItem> complete(Connection c, List<Row> rows) throws SQLException {
        List<StoredItem> out = new ArrayList<>(rows.size());
        int batch = DecisionColumns.maxBatch();
        for (int from = 0; from < rows.size(); from += batch) {
            List<Row> part = rows.subList(from, Math.min(rows.size(), from + batch));
            List<Long> ids = new ArrayList<>(part.size());
            for (Row r : part) {
                if (r.decision() != null) {
                    ids.add(r.item().id());
                }
            }
            Map<Long, DecisionColumns.Codes> codes = DecisionColumns.readCodes(c, ids);
            for (Row r : part) {
                Decision d = r.decision() == null ? null : r.decision().with(codes.get(r.item().id()));
                out.add(new StoredItem(withDecision(r.item(), d), r.stepKey()));
            }
        }
        return out;
    }

    /** The step with this decision and the worklist texts rendered from it. */
    static WorklistItem withDecision(WorklistItem i, Decision d) {
        return new WorklistItem(i.id(), i.spsId(), i.requestedProcedureId(), i.accessionNumber(),
                i.studyInstanceUid(), i.placerOrderNumber(), i.fillerOrderNumber(), i.patient(), i.weightKg(),
                i.requestedProcedureCode(), i.requestedProcedureDescription(), i.scheduledStart(), i.modality(),
                i.stationAeTitle(), i.stationName(), i.spsDescription(), i.reason(), i.referringPhysician(),
                i.status(), d, WorklistTexts.medicalAlerts(d), WorklistTexts.requestedContrastAgent(d),
                WorklistTexts.procedureComments(d), i.specificCharacterSet(), i.priority());
    }
}
