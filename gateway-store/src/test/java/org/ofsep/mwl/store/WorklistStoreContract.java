package org.ofsep.mwl.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import java.util.Map;
import org.ofsep.mwl.core.decision.WorklistTexts;
import org.ofsep.mwl.core.domain.ContrastDose;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.Fact;
import org.ofsep.mwl.core.domain.RuleId;
import org.ofsep.mwl.core.domain.Vendor;
import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.store.WorklistQuery;

/** The worklist query, run against each database engine by the subclasses. */
public abstract class WorklistStoreContract extends DatabaseTest {

    static final LocalDateTime MON_8 = LocalDateTime.of(2026, 3, 2, 8, 0);
    static final ProtocolCode CODE = new ProtocolCode("MRBRAIN", "99RIS", "IRM cerebrale");

    /** Settings for a second, empty database of the same engine (migration tests). */
    protected abstract DatabaseSettings anotherDatabase();

    JdbcWorklistStore store;
    int seq;

    @BeforeEach
    void fill() {
        store = new JdbcWorklistStore(db);
        add("SPS1", "ACC1", "P1", "DUPRÉ^HÉLÈNE", "MR_SIEMENS", "MR", MON_8, SpsStatus.SCHEDULED);
        add("SPS2", "ACC2", "P2", "DUPONT^JEAN", "MR_GE", "MR", MON_8.plusHours(1), SpsStatus.SCHEDULED);
        add("SPS3", "ACC3", "P3", "MARTIN^LUC", "MR_SIEMENS", "MR", MON_8.plusDays(1), SpsStatus.SCHEDULED);
        add("SPS4", "ACC4", "P1", "DUPRÉ^HÉLÈNE", "MR_SIEMENS", "MR", MON_8.plusHours(2), SpsStatus.STARTED);
        add("SPS5", "ACC5", "P4", "DURAND^ANNE", "CT_1", "CT", MON_8.plusHours(3), SpsStatus.SCHEDULED);
        add("SPS6", "AC%6", "P5", "DUP_ND^MARC", "MR_PHILIPS", "MR", MON_8.minusDays(1), SpsStatus.CANCELED);
        add("SPS7", "ACC7", "P6", "DUPUIS^MARIE", "MR_CANON", "MR", MON_8.minusHours(1), SpsStatus.COMPLETED);
    }

    void add(String sps, String acc, String pid, String name, String ae, String modality, LocalDateTime start,
             SpsStatus status) {
        seq++;
        WorklistItem item = new WorklistItem(0, sps, "RP" + seq, acc, "1.2.3." + seq, "PL" + seq, "FI" + seq,
                new Patient(pid, "HOSP", name, LocalDate.of(1970, 1, 1).plusDays(seq - 1), "F"), 70.0, CODE, "IRM cerebrale",
                start, modality, ae, "Room " + seq, "OFSEP FULL", "suivi", "DOC^A", status,
                Decision.passThrough(CODE), WorklistTexts.medicalAlerts(Decision.passThrough(CODE)), null,
                WorklistTexts.procedureComments(Decision.passThrough(CODE)), "ISO_IR 192", null);
        db.inTransaction(c -> ItemTable.insert(c, item, "step-" + sps, clock.instant()));
    }

    List<String> sps(WorklistQuery q) {
        return sps(store, q);
    }

    static List<String> sps(JdbcWorklistStore s, WorklistQuery q) {
        List<String> out = new ArrayList<>();
        s.query(q, item -> out.add(item.spsId()));
        return out;
    }

    static WorklistQuery q() {
        return WorklistQuery.all();
    }

    static WorklistQuery q(List<String> stations, String modality, LocalDateTime from, LocalDateTime to, String pid,
                           String name, boolean fuzzy, String acc, String rpId, String spsId, List<String> uids,
                           Set<SpsStatus> statuses, int limit) {
        return new WorklistQuery(stations, modality, from, to, pid, null, name, fuzzy, acc, rpId, spsId, uids,
                statuses, limit);
    }

    @Test
    void universalQueryReturnsScheduledOnlyOrderedByStart() {
        assertThat(sps(q())).containsExactly("SPS1", "SPS2", "SPS5", "SPS3");
    }

    @Test
    void startedIncludedWhenConfigured() {
        assertThat(sps(new JdbcWorklistStore(db, true), q())).containsExactly("SPS1", "SPS2", "SPS4", "SPS5", "SPS3");
    }

    @Test
    void explicitStatuses() {
        assertThat(sps(q(null, null, null, null, null, null, false, null, null, null, null,
                Set.of(SpsStatus.CANCELED, SpsStatus.COMPLETED), 0))).containsExactly("SPS6", "SPS7");
    }

    @Test
    void byStationAeTitleSingleListAndWildcard() {
        assertThat(sps(q(List.of("MR_SIEMENS"), null, null, null, null, null, false, null, null, null, null, null, 0)))
                .containsExactly("SPS1", "SPS3");
        assertThat(sps(q(List.of("MR_GE", "CT_1"), null, null, null, null, null, false, null, null, null, null, null, 0)))
                .containsExactly("SPS2", "SPS5");
        assertThat(sps(q(List.of("MR_*"), null, null, null, null, null, false, null, null, null, null, null, 0)))
                .containsExactly("SPS1", "SPS2", "SPS3");
        assertThat(sps(q(List.of("*"), null, null, null, null, null, false, null, null, null, null, null, 0)))
                .hasSize(4);
    }

    @Test
    void byModality() {
        assertThat(sps(q(null, "CT", null, null, null, null, false, null, null, null, null, null, 0)))
                .containsExactly("SPS5");
    }

    @Test
    void byDateTimeRanges() {
        // single day
        assertThat(sps(q(null, null, MON_8.toLocalDate().atStartOfDay(), MON_8.toLocalDate().atTime(23, 59, 59),
                null, null, false, null, null, null, null, null, 0))).containsExactly("SPS1", "SPS2", "SPS5");
        // open-ended from
        assertThat(sps(q(null, null, MON_8.plusMinutes(30), null, null, null, false, null, null, null, null, null, 0)))
                .containsExactly("SPS2", "SPS5", "SPS3");
        // open-ended to, inclusive bound
        assertThat(sps(q(null, null, null, MON_8.plusHours(1), null, null, false, null, null, null, null, null, 0)))
                .containsExactly("SPS1", "SPS2");
        // combined date-time range
        assertThat(sps(q(null, null, MON_8.plusHours(1), MON_8.plusHours(3), null, null, false, null, null, null,
                null, null, 0))).containsExactly("SPS2", "SPS5");
    }

    @Test
    void byPatientIdAndIssuer() {
        assertThat(sps(q(null, null, null, null, "P1", null, false, null, null, null, null, null, 0)))
                .containsExactly("SPS1");
        assertThat(sps(q(null, null, null, null, "P?", null, false, null, null, null, null, null, 0)))
                .containsExactly("SPS1", "SPS2", "SPS5", "SPS3");
        assertThat(sps(new WorklistQuery(null, null, null, null, "P1", "OTHER", null, false, null, null, null, null,
                null, 0))).isEmpty();
        assertThat(sps(new WorklistQuery(null, null, null, null, "P1", "HOSP", null, false, null, null, null, null,
                null, 0))).containsExactly("SPS1");
    }

    @Test
    void byPatientNameWithWildcards() {
        assertThat(sps(q(null, null, null, null, null, "DUP*", false, null, null, null, null, null, 0)))
                .containsExactly("SPS1", "SPS2");
        assertThat(sps(q(null, null, null, null, null, "DUPR?^HÉLÈNE", false, null, null, null, null, null, 0)))
                .containsExactly("SPS1");
        assertThat(sps(q(null, null, null, null, null, "MARTIN^LUC", false, null, null, null, null, null, 0)))
                .containsExactly("SPS3");
        // exact matching is case and accent sensitive
        assertThat(sps(q(null, null, null, null, null, "dupre*", false, null, null, null, null, null, 0))).isEmpty();
    }

    /**
     * Exact-case name matching returns exactly what it did before V13, although H2 now finds the rows through the
     * folded name (a name and another one with the same folded form are told apart by the exact condition; a
     * prefix that folds to more characters, a '?' over a character that folds to two, a ligature).
     */
    @Test
    void exactCaseNameMatchingIsDecidedByTheNameNotByItsFoldedForm() {
        add("SPS8", "ACC8", "P8", "Straße^Anna", "MR_X", "MR", MON_8.plusHours(4), SpsStatus.SCHEDULED);
        add("SPS9", "ACC9", "P9", "ﬁnn^Œdipe", "MR_X", "MR", MON_8.plusHours(5), SpsStatus.SCHEDULED);
        add("SPS10", "ACC10", "P10", "STRASSE^ANNA", "MR_X", "MR", MON_8.plusHours(6), SpsStatus.SCHEDULED);
        assertThat(sps(q(null, null, null, null, null, "DUPRÉ^HÉLÈNE", false, null, null, null, null, null, 0)))
                .containsExactly("SPS1");
        assertThat(sps(q(null, null, null, null, null, "DUPRE^HELENE", false, null, null, null, null, null, 0)))
                .isEmpty();
        assertThat(sps(q(null, null, null, null, null, "Straße^Anna", false, null, null, null, null, null, 0)))
                .containsExactly("SPS8");
        assertThat(sps(q(null, null, null, null, null, "STRASSE^ANNA", false, null, null, null, null, null, 0)))
                .containsExactly("SPS10");
        assertThat(sps(q(null, null, null, null, null, "Straß*", false, null, null, null, null, null, 0)))
                .containsExactly("SPS8");
        assertThat(sps(q(null, null, null, null, null, "Stra?e*", false, null, null, null, null, null, 0)))
                .containsExactly("SPS8");
        assertThat(sps(q(null, null, null, null, null, "STRASS*", false, null, null, null, null, null, 0)))
                .containsExactly("SPS10");
        assertThat(sps(q(null, null, null, null, null, "ﬁ*", false, null, null, null, null, null, 0)))
                .containsExactly("SPS9");
        assertThat(sps(q(null, null, null, null, null, "fi*", false, null, null, null, null, null, 0))).isEmpty();
        assertThat(sps(q(null, null, null, null, null, "DUPRÉ^H*", false, null, null, null, null, null, 0)))
                .containsExactly("SPS1");
        assertThat(sps(q(null, null, null, null, null, "*ANNA", false, null, null, null, null, null, 0)))
                .containsExactly("SPS10");
        // and the fuzzy form still finds both spellings
        assertThat(sps(q(null, null, null, null, null, "strasse^anna", true, null, null, null, null, null, 0)))
                .containsExactly("SPS8", "SPS10");
    }

    @Test
    void fuzzyNameMatchingIgnoresCaseAndAccents() {
        assertThat(sps(q(null, null, null, null, null, "dupre^helene", true, null, null, null, null, null, 0)))
                .containsExactly("SPS1");
        assertThat(sps(q(null, null, null, null, null, "Dupré*", true, null, null, null, null, null, 0)))
                .containsExactly("SPS1");
    }

    @Test
    void sqlWildcardCharactersInValuesAreLiteral() {
        Set<SpsStatus> canceled = Set.of(SpsStatus.CANCELED, SpsStatus.SCHEDULED);
        // '%' and '_' in the stored or queried value are not wildcards
        assertThat(sps(q(null, null, null, null, null, null, false, "AC%*", null, null, null, canceled, 0)))
                .containsExactly("SPS6");
        assertThat(sps(q(null, null, null, null, null, "DUP_*", false, null, null, null, null, canceled, 0)))
                .containsExactly("SPS6");
        assertThat(sps(q(null, null, null, null, null, null, false, "ACC%", null, null, null, canceled, 0))).isEmpty();
    }

    @Test
    void byAccessionRequestedProcedureSpsAndStudyUids() {
        assertThat(sps(q(null, null, null, null, null, null, false, "ACC2", null, null, null, null, 0)))
                .containsExactly("SPS2");
        assertThat(sps(q(null, null, null, null, null, null, false, null, "RP3", null, null, null, 0)))
                .containsExactly("SPS3");
        assertThat(sps(q(null, null, null, null, null, null, false, null, null, "SPS5", null, null, 0)))
                .containsExactly("SPS5");
        assertThat(sps(q(null, null, null, null, null, null, false, null, null, null, List.of("1.2.3.1", "1.2.3.3"),
                null, 0))).containsExactly("SPS1", "SPS3");
    }

    @Test
    void limitIsHonoured() {
        assertThat(sps(q(null, null, null, null, null, null, false, null, null, null, null, null, 2)))
                .containsExactly("SPS1", "SPS2");
    }

    @Test
    void sinkStopsTheStream() {
        List<String> seen = new ArrayList<>();
        int handed = store.query(q(), item -> {
            seen.add(item.spsId());
            return seen.size() < 2;
        });
        assertThat(handed).isEqualTo(2);
        assertThat(seen).containsExactly("SPS1", "SPS2");
    }

    @Test
    void streamsMoreRowsThanOneFetch() {
        for (int i = 0; i < JdbcWorklistStore.FETCH_SIZE * 3; i++) {
            add("BULK" + i, "B" + i, "PB" + i, "BULK^" + i, "MR_BULK", "MR", MON_8.plusMinutes(i), SpsStatus.SCHEDULED);
        }
        List<String> seen = new ArrayList<>();
        int handed = store.query(q(List.of("MR_BULK"), null, null, null, null, null, false, null, null, null, null,
                null, 0), item -> seen.add(item.spsId()));
        assertThat(handed).isEqualTo(JdbcWorklistStore.FETCH_SIZE * 3);
        assertThat(seen.get(0)).isEqualTo("BULK0");
        assertThat(seen.get(seen.size() - 1)).isEqualTo("BULK" + (JdbcWorklistStore.FETCH_SIZE * 3 - 1));
    }

    @Test
    void itemRoundTripsEveryField() {
        WorklistItem item = store.findBySpsId("SPS1").orElseThrow();
        assertThat(item.id()).isPositive();
        assertThat(item.patient()).isEqualTo(new Patient("P1", "HOSP", "DUPRÉ^HÉLÈNE", LocalDate.of(1970, 1, 1), "F"));
        assertThat(item.requestedProcedureCode()).isEqualTo(CODE);
        assertThat(item.decision()).isEqualTo(Decision.passThrough(CODE));
        assertThat(item.scheduledStart()).isEqualTo(MON_8);
        assertThat(item.weightKg()).isEqualTo(70.0);
        assertThat(item.specificCharacterSet()).isEqualTo("ISO_IR 192");
        assertThat(store.findByAccession("ACC4")).extracting(WorklistItem::spsId).containsExactly("SPS4");
        assertThat(store.findBySpsId("NOPE")).isEmpty();
    }

    static final ProtocolCode FULL_GD = new ProtocolCode("OFSEP-FULL-GD", "99OFSEP", "OFSEP full protocol with gadolinium");
    static final ProtocolCode SPINE_GD = new ProtocolCode("OFSEP-SPINE-GD", "99OFSEP", "OFSEP spinal cord with Gd");

    /** A decision with every field set: codes for two vendors, two alerts, facts, a dose. */
    static Decision fullDecision() {
        return new Decision(true, ExamCard.FULL, true, false, true, false, RuleId.DIAGNOSIS,
                List.of("MS order: procedure code IRMSEP is an MS procedure code.", "OFSEP 2020: Gd at diagnosis",
                        "a reason with \"quotes\", a backslash \\ and an accent: é"),
                List.of("Gd with eGFR 25 < 30: radiologist to confirm", "Gd in pregnancy: radiologist to confirm"),
                new ContrastDose("gadobutrol", 7.25, 7.3), 12, List.of("SWI", "2D T2* GRE"), List.of(FULL_GD, SPINE_GD),
                Map.of(Vendor.SIEMENS, List.of(new ProtocolCode("OFSEP_FULL_GD", "99SIEMENS", "OFSEP^Brain Full Gd"),
                                new ProtocolCode("OFSEP_SPINE_GD", "99SIEMENS", "OFSEP^Spine Gd")),
                        Vendor.GE, List.of(new ProtocolCode("OFSEPFULLGD", "99GEMS", "OFSEP BRAIN FULL GD"))),
                List.of(new Fact("treatment", "ocrelizumab", "OBR-13", "sous Ocrevus depuis mars 2022"),
                        new Fact("weight", "72.5 kg", "PID/OBX", null)));
    }

    WorklistItem withDecision(WorklistItem i, Decision d) {
        return ItemTable.withDecision(i, d);
    }

    @Test
    void aDecisionIsStoredInTypedColumnsAndReadBackWhole() {
        WorklistItem stored = store.findBySpsId("SPS2").orElseThrow();
        WorklistItem updated = withDecision(stored, fullDecision());
        db.inTransaction(c -> {
            ItemTable.update(c, updated, "step-SPS2", clock.instant());
            return null;
        });
        WorklistItem back = store.findBySpsId("SPS2").orElseThrow();
        assertThat(back.decision()).isEqualTo(fullDecision());
        assertThat(back).isEqualTo(updated);
        assertThat(back.medicalAlerts()).containsExactly("Gd with eGFR 25 < 30: radiologist to confirm",
                "Gd in pregnancy: radiologist to confirm");
        assertThat(back.requestedContrastAgent()).isEqualTo("gadobutrol 7.25 mmol 7.3 mL");
        assertThat(back.procedureComments()).startsWith("MS order: procedure code IRMSEP").contains("\n");
        assertThat(back.decision().codesFor(Vendor.SIEMENS)).extracting(ProtocolCode::value)
                .containsExactly("OFSEP_FULL_GD", "OFSEP_SPINE_GD", "OFSEP-FULL-GD", "OFSEP-SPINE-GD");
        assertThat(back.decision().codesFor(Vendor.PHILIPS)).containsExactly(FULL_GD, SPINE_GD);
        // the console query reads the same item, codes included
        List<WorklistItem> seen = new ArrayList<>();
        store.query(q(List.of("MR_GE"), null, null, null, null, null, false, null, null, null, null, null, 0),
                seen::add);
        assertThat(seen).containsExactly(back);
        // a later decision replaces the codes, it does not add to them
        WorklistItem again = withDecision(back, Decision.passThrough(CODE));
        db.inTransaction(c -> {
            ItemTable.update(c, again, "step-SPS2", clock.instant());
            return null;
        });
        assertThat(store.findBySpsId("SPS2").orElseThrow()).isEqualTo(again);
        Integer codeRows = db.read(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery(
                    "SELECT COUNT(*) FROM item_protocol_code WHERE item_id = " + back.id())) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(codeRows).isEqualTo(1);
    }

    private Map<String, WorklistItem> all(Set<SpsStatus> statuses) {
        Map<String, WorklistItem> out = new java.util.HashMap<>();
        store.query(q(null, null, null, null, null, null, false, null, null, null, null, statuses, 0),
                item -> out.put(item.spsId(), item) == null);
        return out;
    }

    @Test
    void theConsoleQueryReusesUnchangedStepsAndSeesEveryChange() {
        Set<SpsStatus> every = Set.of(SpsStatus.values());
        Map<String, WorklistItem> first = all(every);
        Map<String, WorklistItem> second = all(every);
        // unchanged rows: the very objects read before (the item cache), equal to a fresh read
        for (String sps : first.keySet()) {
            assertThat(second.get(sps)).isSameAs(first.get(sps));
        }
        Map<String, WorklistItem> fresh = new java.util.HashMap<>();
        new JdbcWorklistStore(db, false, 0).query(
                q(null, null, null, null, null, null, false, null, null, null, null, every, 0),
                item -> fresh.put(item.spsId(), item) == null);
        assertThat(fresh).isEqualTo(second);

        // each way the store changes a step is seen by the next query, the other steps stay cached
        WorklistItem sps2 = withDecision(second.get("SPS2"), fullDecision());
        db.inTransaction(c -> {
            ItemTable.update(c, sps2, "step-SPS2", clock.instant());
            ItemTable.updateStatus(c, second.get("SPS3").id(), SpsStatus.STARTED, clock.instant());
            ItemTable.updateDemographics(c, new Patient("P1", null, "DUPRE^HELENE", null, null),
                    Set.of(SpsStatus.SCHEDULED, SpsStatus.STARTED), clock.instant());
            ItemTable.mergePatient(c, new Patient("P9", "HOSP", "DURAND^ANNE", null, "F"), "P4", null,
                    clock.instant());
            return null;
        });
        Map<String, WorklistItem> third = all(every);
        assertThat(third.get("SPS2").decision()).isEqualTo(fullDecision());
        assertThat(third.get("SPS2").decision().codesFor(Vendor.PHILIPS)).containsExactly(FULL_GD, SPINE_GD);
        assertThat(third.get("SPS3").status()).isEqualTo(SpsStatus.STARTED);
        assertThat(third.get("SPS1").patient().name()).isEqualTo("DUPRE^HELENE");
        assertThat(third.get("SPS4").patient().name()).isEqualTo("DUPRE^HELENE");
        assertThat(third.get("SPS5").patient().id()).isEqualTo("P9");
        assertThat(third.get("SPS7")).isSameAs(first.get("SPS7"));

        // housekeeping closing a stale step
        clock.advance(java.time.Duration.ofDays(10));
        new Housekeeping(db, null, "test", HousekeepingSettings.defaults(), clock).runOnce();
        Map<String, WorklistItem> fourth = all(every);
        assertThat(fourth.get("SPS1").status()).isEqualTo(SpsStatus.DISCONTINUED);
        Map<String, WorklistItem> uncached = new java.util.HashMap<>();
        new JdbcWorklistStore(db, false, 0).query(
                q(null, null, null, null, null, null, false, null, null, null, null, every, 0),
                item -> uncached.put(item.spsId(), item) == null);
        assertThat(fourth).isEqualTo(uncached);
    }

    @Test
    void aStepWithoutADecisionHasNone() {
        WorklistItem stored = store.findBySpsId("SPS3").orElseThrow();
        WorklistItem none = withDecision(stored, null);
        db.inTransaction(c -> {
            ItemTable.update(c, none, "step-SPS3", clock.instant());
            return null;
        });
        WorklistItem back = store.findBySpsId("SPS3").orElseThrow();
        assertThat(back.decision()).isNull();
        assertThat(back.medicalAlerts()).isEmpty();
        assertThat(back).isEqualTo(none);
    }

    @Test
    void migrationV5ConvertsTheDecisionsStoredAsJsonAndDropsTheDerivedTexts() throws Exception {
        DatabaseSettings other = anotherDatabase();
        try (com.zaxxer.hikari.HikariDataSource ds = OlderStore.at(other, "4")) {
            // a row as the gateway wrote it before V5: the decision as JSON, its texts beside it
            String json = "{\"ofsep\":true,\"examCard\":\"FULL\",\"contrast\":true,\"contrastOptional\":false,"
                    + "\"spine\":true,\"spineDue\":false,\"rule\":\"DIAGNOSIS\",\"reasons\":[\"MS order: procedure code"
                    + " IRMSEP is an MS procedure code.\",\"OFSEP 2020: Gd at diagnosis\",\"a reason with \\\"quotes\\\","
                    + " a backslash \\\\ and an accent: é\"],\"alerts\":[\"Gd with eGFR 25 < 30: radiologist to confirm\","
                    + "\"Gd in pregnancy: radiologist to confirm\"],\"contrastDose\":{\"agent\":\"gadobutrol\","
                    + "\"mmol\":7.25,\"ml\":7.3},\"nextMriMonths\":12,\"optionalSequences\":[\"SWI\",\"2D T2* GRE\"],"
                    + "\"defaultCodes\":[{\"value\":\"OFSEP-FULL-GD\",\"scheme\":\"99OFSEP\",\"meaning\":\"OFSEP full"
                    + " protocol with gadolinium\"},{\"value\":\"OFSEP-SPINE-GD\",\"scheme\":\"99OFSEP\",\"meaning\":"
                    + "\"OFSEP spinal cord with Gd\"}],\"vendorCodes\":{\"GE\":[{\"value\":\"OFSEPFULLGD\",\"scheme\":"
                    + "\"99GEMS\",\"meaning\":\"OFSEP BRAIN FULL GD\"}],\"SIEMENS\":[{\"value\":\"OFSEP_FULL_GD\","
                    + "\"scheme\":\"99SIEMENS\",\"meaning\":\"OFSEP^Brain Full Gd\"},{\"value\":\"OFSEP_SPINE_GD\","
                    + "\"scheme\":\"99SIEMENS\",\"meaning\":\"OFSEP^Spine Gd\"}]}}";
            try (var c = ds.getConnection(); var ps = c.prepareStatement("INSERT INTO worklist_item (placer_order_number,"
                    + " step_key, sps_id, requested_procedure_id, study_instance_uid, patient_id, patient_name,"
                    + " scheduled_start, modality, station_ae_title, status, decision_json, medical_alerts,"
                    + " requested_contrast_agent, procedure_comments, created_at, updated_at) VALUES ('PL1', 'k1',"
                    + " 'SPSOLD', 'RP1', '1.2.9', 'P9', 'OLD^ROW', ?, 'MR', 'MR_GE', 'SCHEDULED', ?, ?, ?, ?, ?, ?)")) {
                SqlTime.setLocalDateTime(ps, 1, MON_8);
                ps.setString(2, json);
                ps.setString(3, "Gd with eGFR 25 < 30: radiologist to confirm\\Gd in pregnancy: radiologist to confirm");
                ps.setString(4, "gadobutrol 7.25 mmol 7.3 mL");
                ps.setString(5, "stale text");
                SqlTime.setInstant(ps, 6, T0);
                SqlTime.setInstant(ps, 7, T0);
                ps.executeUpdate();
            }
        }
        Database migrated = Database.open(other);
        try {
            WorklistItem old = new JdbcWorklistStore(migrated).findBySpsId("SPSOLD").orElseThrow();
            Decision expected = fullDecision();
            // decisions stored before V5 kept no facts
            assertThat(old.decision()).isEqualTo(new Decision(expected.ofsep(), expected.examCard(),
                    expected.contrast(), expected.contrastOptional(), expected.spine(), expected.spineDue(),
                    expected.rule(), expected.reasons(), expected.alerts(), expected.contrastDose(),
                    expected.nextMriMonths(), expected.optionalSequences(), expected.defaultCodes(),
                    expected.vendorCodes()));
            assertThat(old.medicalAlerts()).containsExactly("Gd with eGFR 25 < 30: radiologist to confirm",
                    "Gd in pregnancy: radiologist to confirm");
            assertThat(old.requestedContrastAgent()).isEqualTo("gadobutrol 7.25 mmol 7.3 mL");
            assertThat(old.procedureComments()).isEqualTo(String.join("\n", expected.reasons()));
            List<String> columns = migrated.read(c -> {
                List<String> names = new ArrayList<>();
                try (var rs = c.getMetaData().getColumns(null, null, "%", "%")) {
                    while (rs.next()) {
                        if (rs.getString("TABLE_NAME").equalsIgnoreCase("worklist_item")) {
                            names.add(rs.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
                        }
                    }
                }
                return names;
            });
            assertThat(columns).contains("exam_card", "contrast", "contrast_optional", "spine", "decision_rule",
                    "reasons", "alerts", "facts").doesNotContain("decision_json", "medical_alerts",
                    "procedure_comments", "requested_contrast_agent");
        } finally {
            migrated.close();
        }
    }

    @Test
    void countsByStatus() {
        assertThat(store.countByStatus()).containsEntry(SpsStatus.SCHEDULED, 4L).containsEntry(SpsStatus.STARTED, 1L)
                .containsEntry(SpsStatus.CANCELED, 1L).containsEntry(SpsStatus.DISCONTINUED, 0L);
    }

    @Test
    void historyNewestFirst() {
        db.inTransaction(c -> {
            ItemTable.addHistory(c, new PriorExam("P1", LocalDate.of(2024, 1, 5), null, false, null, false, "A1"),
                    null, clock.instant());
            ItemTable.addHistory(c, new PriorExam("P1", LocalDate.of(2025, 6, 1),
                    org.ofsep.mwl.core.domain.ExamCard.FULL, true, 7.0, true, "A2"), "1.2.9", clock.instant());
            // same MPPS again: not recorded twice
            return ItemTable.addHistory(c, new PriorExam("P1", LocalDate.of(2025, 6, 1), null, false, null, false,
                    "A2"), "1.2.9", clock.instant());
        });
        List<PriorExam> h = store.history("P1");
        assertThat(h).extracting(PriorExam::accessionNumber).containsExactly("A2", "A1");
        assertThat(h.get(0).contrastMmol()).isEqualTo(7.0);
        assertThat(h.get(0).spine()).isTrue();
        assertThat(store.history("P2")).isEmpty();
    }

    @Test
    void aConsoleThatDoesNotTakeItsAnswerHoldsNoReadTurn() throws Exception {
        // one read turn: a query whose sink is stuck (a console that stopped reading its responses) must not keep
        // the other consoles' queries from reading the database
        JdbcWorklistStore oneTurn = new JdbcWorklistStore(db, false, 0, 1);
        java.util.concurrent.CountDownLatch inSink = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch unblock = new java.util.concurrent.CountDownLatch(1);
        Thread stalled = new Thread(() -> oneTurn.query(q(), item -> {
            inSink.countDown();
            try {
                unblock.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        }));
        stalled.start();
        try {
            assertThat(inSink.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(oneTurn.freeReadTurns()).isEqualTo(1);
            java.util.concurrent.CompletableFuture<List<String>> other =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> sps(oneTurn, q()));
            assertThat(other.get(10, java.util.concurrent.TimeUnit.SECONDS))
                    .containsExactly("SPS1", "SPS2", "SPS5", "SPS3");
        } finally {
            unblock.countDown();
            stalled.join(10_000);
        }
        assertThat(oneTurn.freeReadTurns()).isEqualTo(1);
    }

    @Test
    void queriesWaitingForAReadTurnHoldNoDatabaseConnection() throws Exception {
        // one read turn, held by a query stopped between its two statements: five more queries wait for the turn
        // without borrowing a connection (twenty consoles on the same second would otherwise take the pool's
        // connections from the intake while they wait)
        JdbcWorklistStore oneTurn = new JdbcWorklistStore(db, false, 0, 1);
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch unblock = new java.util.concurrent.CountDownLatch(1);
        oneTurn.betweenStatements(() -> {
            holding.countDown();
            try {
                unblock.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        com.zaxxer.hikari.HikariPoolMXBean pool = ((com.zaxxer.hikari.HikariDataSource) db.dataSource())
                .getHikariPoolMXBean();
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<List<String>>> answers = new ArrayList<>();
            answers.add(threads.submit(() -> sps(oneTurn, q())));
            assertThat(holding.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 5; i++) {
                answers.add(threads.submit(() -> sps(oneTurn, q())));
            }
            long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() < until) { // the five have had time to reach the turn
                assertThat(pool.getActiveConnections()).isEqualTo(1);
                Thread.sleep(50);
            }
            unblock.countDown();
            for (java.util.concurrent.Future<List<String>> answer : answers) {
                assertThat(answer.get(10, java.util.concurrent.TimeUnit.SECONDS))
                        .containsExactly("SPS1", "SPS2", "SPS5", "SPS3");
            }
        } finally {
            unblock.countDown();
            threads.shutdownNow();
        }
        assertThat(oneTurn.freeReadTurns()).isEqualTo(1);
    }

    @Test
    void aConnectionWhoseQueryWasCancelledIsNotLentAgain() throws Exception {
        add("CXL1", "CX1", "PCX1", "CANCEL^ONE", "MR_A", "MR", MON_8, SpsStatus.SCHEDULED);
        // a pool of two connections, one held here: the next query gets the connection the cancelled one used,
        // unless it was evicted
        try (Database one = Database.open(new DatabaseSettings(settings.url(), settings.user(), settings.password(),
                2)); java.sql.Connection held = one.dataSource().getConnection()) {
            JdbcWorklistStore store1 = new JdbcWorklistStore(one);
            java.util.concurrent.atomic.AtomicBoolean gone = new java.util.concurrent.atomic.AtomicBoolean();
            // the console leaves while its answer is being written, after the statement read its rows: the watch
            // (every 200 ms) cancels on that connection. (H2 keeps a cancel that reaches a statement in its last
            // moments for the session's next statement; that race cannot be staged here, the store clears the
            // session after any cancel: JdbcWorklistStore.query)
            int handed = store1.query(q(), item -> {
                gone.set(true);
                try {
                    Thread.sleep(700);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return true;
            }, gone::get);
            assertThat(handed).isEqualTo(1);
            // the next user of the pool (a query, an order's transaction) is not cancelled in its place
            assertThat(sps(store1, q())).contains("CXL1");
            Integer count = one.read(c -> {
                try (java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(
                        "SELECT COUNT(*) FROM worklist_item WHERE sps_id = 'CXL1'")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(count).isEqualTo(1);
        }
    }

    @Test
    void aFailedOrStoppedQueryGivesItsReadTurnBack() {
        JdbcWorklistStore oneTurn = new JdbcWorklistStore(db, false, 0, 1);
        List<String> first = new ArrayList<>();
        oneTurn.query(q(), item -> first.add(item.spsId()) && false); // the sink stops after one item
        assertThat(first).hasSize(1);
        assertThat(oneTurn.freeReadTurns()).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> oneTurn.query(q(), item -> {
            throw new IllegalStateException("the console went away");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(oneTurn.freeReadTurns()).isEqualTo(1);
        assertThat(sps(oneTurn, q())).containsExactly("SPS1", "SPS2", "SPS5", "SPS3");
    }

    @Test
    void explainsTheStatementAConsoleQueryRuns() {
        List<String> plan = store.explain(q(List.of("MR_SIEMENS"), "MR", MON_8.toLocalDate().atStartOfDay(),
                MON_8.toLocalDate().atTime(23, 59, 59), null, null, false, null, null, null, null, null, 0));
        assertThat(plan).isNotEmpty();
        // executed, not only planned: both engines report what the run read
        assertThat(String.join("\n", plan).toLowerCase()).containsAnyOf("actual time", "scancount");
        assertThat(String.join("\n", plan).toLowerCase()).contains("worklist_item");
    }

    @Test
    void aStepChangedBetweenTheQuerysTwoStatementsIsAnsweredAsItIsNow() {
        // the query reads which steps match (id, version), then the whole rows it has not cached: a step changed in
        // between is read as it is now, and left out when it no longer matches
        JdbcWorklistStore fresh = new JdbcWorklistStore(db, false, 1000, 2);
        WorklistItem sps1 = fresh.findBySpsId("SPS1").orElseThrow();
        fresh.betweenStatements(() -> db.inTransaction(c -> {
            ItemTable.updateStatus(c, sps1.id(), SpsStatus.CANCELED, clock.instant());
            ItemTable.updateDemographics(c, new Patient("P1", null, "DUPRE^HELENE", null, null),
                    Set.of(SpsStatus.SCHEDULED, SpsStatus.STARTED), clock.instant());
            return null;
        }));
        List<WorklistItem> seen = new ArrayList<>();
        fresh.query(q(List.of("MR_SIEMENS"), null, null, null, null, null, false, null, null, null, null,
                Set.of(SpsStatus.SCHEDULED, SpsStatus.STARTED), 0), seen::add);
        assertThat(seen).extracting(WorklistItem::spsId).containsExactly("SPS4", "SPS3");
        assertThat(seen.get(0).patient().name()).isEqualTo("DUPRE^HELENE");
        // and the cache holds each at the version it was read at: unchanged since, it is served as read
        fresh.betweenStatements(() -> { });
        List<WorklistItem> again = new ArrayList<>();
        fresh.query(q(List.of("MR_SIEMENS"), null, null, null, null, null, false, null, null, null, null,
                Set.of(SpsStatus.SCHEDULED, SpsStatus.STARTED), 0), again::add);
        assertThat(again).hasSize(2);
        assertThat(again.get(0)).isSameAs(seen.get(0));
        assertThat(again.get(1)).isSameAs(seen.get(1));
    }

    @Test
    void aQueryWithoutTimeoutRunsAsLongAsItsReaderTakes() {
        // more steps than one batch of rows: the query reads again after its reader has taken the first batch
        for (int i = 0; i < JdbcWorklistStore.FETCH_SIZE + 20; i++) {
            add("LONG" + i, "L" + i, "PL" + i, "LONG^" + i, "MR_A", "MR", MON_8.plusMinutes(i), SpsStatus.SCHEDULED);
        }
        int scheduled = sps(q()).size();
        java.util.function.Supplier<java.util.function.Predicate<WorklistItem>> slowReader = () -> {
            boolean[] first = {true};
            return item -> {
                if (first[0]) {
                    first[0] = false;
                    try {
                        Thread.sleep(1_300); // e.g. an export writing its files
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return true;
            };
        };
        JdbcWorklistStore timed = new JdbcWorklistStore(db).queryTimeout(java.time.Duration.ofSeconds(1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> timed.query(q(), slowReader.get()))
                .isInstanceOf(StoreException.class).hasMessageContaining("query timeout");
        JdbcWorklistStore unlimited = new JdbcWorklistStore(db).queryTimeout(java.time.Duration.ZERO);
        assertThat(unlimited.queryTimeoutSeconds()).isZero();
        assertThat(unlimited.query(q(), slowReader.get())).isEqualTo(scheduled);
    }
}
