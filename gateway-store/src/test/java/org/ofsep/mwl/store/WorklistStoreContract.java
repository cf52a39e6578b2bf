package org.ofsep.mwl.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.Decision;
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
                Decision.passThrough(CODE), null, null, null, "ISO_IR 192");
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
}
