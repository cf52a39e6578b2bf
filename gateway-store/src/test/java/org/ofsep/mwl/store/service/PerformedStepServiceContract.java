package org.ofsep.mwl.store.service;

import org.ofsep.mwl.core.service.UidGenerator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.PerformedStep;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.store.PerformedStepService.Result;
import org.ofsep.mwl.core.store.StatusEvent;
import org.ofsep.mwl.store.DatabaseTest;
import org.ofsep.mwl.store.JdbcOutboundQueue;
import org.ofsep.mwl.store.JdbcWorklistStore;

/** MPPS state rules and their effect on worklist, history and RIS queue, on each engine. */
public abstract class PerformedStepServiceContract extends DatabaseTest {

    static final LocalDateTime START = LocalDateTime.of(2026, 3, 3, 9, 30);

    JdbcOrderService orders;
    JdbcPerformedStepService mpps;
    JdbcWorklistStore store;
    JdbcOutboundQueue queue;

    @BeforeEach
    void services() {
        orders = new JdbcOrderService(db, FakeMapping::new, new FakeDecisionEngine(),
                new UidGenerator(UidGenerator.DEFAULT_ROOT, clock), clock);
        mpps = new JdbcPerformedStepService(db, clock);
        store = new JdbcWorklistStore(db);
        queue = new JdbcOutboundQueue(db, clock);
    }

    WorklistItem schedule(String placer) {
        return orders.apply(Orders.order(placer).procedure("A" + placer, START).build()).get(0);
    }

    static PerformedStep step(String uid, String status, WorklistItem item, List<ProtocolCode> codes) {
        return new PerformedStep(uid, status, item == null ? "PAT1" : item.patient().id(),
                item == null ? null : item.studyInstanceUid(), item == null ? List.of() : List.of(item.spsId()),
                item == null ? null : item.accessionNumber(), "MR_SIEMENS", START.plusMinutes(2),
                "IN PROGRESS".equals(status) ? null : START.plusMinutes(22), codes, new byte[] {1, 2, 3, (byte) status.length()});
    }

    SpsStatus status(WorklistItem item) {
        return store.findBySpsId(item.spsId()).orElseThrow().status();
    }

    @Test
    void createStartsTheStepAndQueuesInProgress() {
        WorklistItem item = schedule("M1");
        assertThat(mpps.create(step("1.2.3.1", "IN PROGRESS", item, List.of()))).isEqualTo(Result.OK);
        assertThat(status(item)).isEqualTo(SpsStatus.STARTED);
        List<StatusEvent> due = queue.due(clock.instant(), 10);
        assertThat(due).extracting(StatusEvent::status).containsExactly("IP");
        assertThat(due.get(0).placerOrderNumber()).isEqualTo("M1");
        assertThat(due.get(0).spsId()).isEqualTo(item.spsId());
        assertThat(due.get(0).accessionNumber()).isEqualTo("AM1");
        PerformedStep stored = mpps.find("1.2.3.1").orElseThrow();
        assertThat(stored.status()).isEqualTo("IN PROGRESS");
        assertThat(stored.scheduledStepIds()).containsExactly(item.spsId());
        assertThat(stored.dataset()).containsExactly(1, 2, 3, 11);
    }

    @Test
    void createRules() {
        WorklistItem item = schedule("M2");
        assertThat(mpps.create(step("1.2.3.2", "COMPLETED", item, List.of()))).isEqualTo(Result.INVALID_STATUS);
        assertThat(mpps.find("1.2.3.2")).isEmpty();
        assertThat(status(item)).isEqualTo(SpsStatus.SCHEDULED);
        assertThat(mpps.create(step("1.2.3.2", "IN PROGRESS", item, List.of()))).isEqualTo(Result.OK);
        assertThat(mpps.create(step("1.2.3.2", "IN PROGRESS", item, List.of()))).isEqualTo(Result.DUPLICATE_INSTANCE);
        assertThat(queue.depth()).isEqualTo(1);
    }

    @Test
    void completedMovesStepRecordsHistoryAndQueuesInOrder() {
        WorklistItem item = schedule("M3");
        mpps.create(step("1.2.3.3", "IN PROGRESS", item, List.of()));
        assertThat(mpps.update(step("1.2.3.3", "IN PROGRESS", item, List.of()))).isEqualTo(Result.OK);
        List<ProtocolCode> performed = List.of(new ProtocolCode("SIE_FULL", "99SIEMENS", "FULL"),
                new ProtocolCode("OFSEP-FULL-GD", "99OFSEP", "OFSEP full with Gd"));
        assertThat(mpps.update(step("1.2.3.3", "COMPLETED", item, performed))).isEqualTo(Result.OK);
        assertThat(status(item)).isEqualTo(SpsStatus.COMPLETED);
        assertThat(mpps.find("1.2.3.3").orElseThrow().performedProtocolCodes()).isEqualTo(performed);

        List<PriorExam> history = store.history("PAT1");
        assertThat(history).containsExactly(new PriorExam("PAT1", START.toLocalDate(), ExamCard.FULL, true, 7.0,
                false, "AM3"));

        // no N-SET after a final state
        assertThat(mpps.update(step("1.2.3.3", "COMPLETED", item, performed))).isEqualTo(Result.NOT_IN_PROGRESS);
        assertThat(mpps.update(step("1.2.3.3", "DISCONTINUED", item, performed))).isEqualTo(Result.NOT_IN_PROGRESS);
        assertThat(store.history("PAT1")).hasSize(1);

        // events go out one at a time per order: IP first, CM only once IP is sent
        List<StatusEvent> due = queue.due(clock.instant(), 10);
        assertThat(due).extracting(StatusEvent::status).containsExactly("IP");
        queue.markSent(due.get(0).id());
        assertThat(queue.due(clock.instant(), 10)).extracting(StatusEvent::status).containsExactly("CM");

        // the next order for this patient is decided with that history (ROUTINE, no Gd)
        WorklistItem next = orders.apply(Orders.order("M3B").procedure("AM3B", START.plusMonths(12)).build()).get(0);
        assertThat(next.decision().examCard()).isEqualTo(ExamCard.ROUTINE);
        assertThat(next.procedureComments()).isEqualTo("priors seen: 1");
    }

    @Test
    void performedCodesWinOverThePlan() {
        WorklistItem item = schedule("M4"); // planned FULL with Gd
        mpps.create(step("1.2.3.4", "IN PROGRESS", item, List.of()));
        mpps.update(step("1.2.3.4", "COMPLETED", item,
                List.of(new ProtocolCode("OFSEP-ROUTINE", "99OFSEP", "no Gd"))));
        assertThat(store.history("PAT1")).containsExactly(new PriorExam("PAT1", START.toLocalDate(),
                ExamCard.ROUTINE, false, null, false, "AM4"));
    }

    @Test
    void discontinuedMovesStepAndQueuesDc() {
        WorklistItem item = schedule("M5");
        mpps.create(step("1.2.3.5", "IN PROGRESS", item, List.of()));
        assertThat(mpps.update(step("1.2.3.5", "DISCONTINUED", item, List.of()))).isEqualTo(Result.OK);
        assertThat(status(item)).isEqualTo(SpsStatus.DISCONTINUED);
        assertThat(store.history("PAT1")).isEmpty();
        assertThat(queue.pending(10)).extracting(StatusEvent::status).containsExactly("IP", "DC");
        assertThat(mpps.update(step("1.2.3.5", "IN PROGRESS", item, List.of()))).isEqualTo(Result.NOT_IN_PROGRESS);
    }

    @Test
    void setRules() {
        assertThat(mpps.update(step("9.9.9", "COMPLETED", null, List.of()))).isEqualTo(Result.NO_SUCH_INSTANCE);
        WorklistItem item = schedule("M6");
        mpps.create(step("1.2.3.6", "IN PROGRESS", item, List.of()));
        assertThat(mpps.update(step("1.2.3.6", "SCHEDULED", item, List.of()))).isEqualTo(Result.INVALID_STATUS);
        assertThat(mpps.find("1.2.3.6").orElseThrow().status()).isEqualTo("IN PROGRESS");
    }

    @Test
    void unscheduledMppsIsAcceptedAndRecorded() {
        PerformedStep unscheduled = step("1.2.3.7", "IN PROGRESS", null, List.of());
        assertThat(mpps.create(unscheduled)).isEqualTo(Result.OK);
        assertThat(mpps.update(step("1.2.3.7", "COMPLETED", null,
                List.of(new ProtocolCode("OFSEP-PML", "99OFSEP", "PML"))))).isEqualTo(Result.OK);
        assertThat(mpps.find("1.2.3.7").orElseThrow().status()).isEqualTo("COMPLETED");
        assertThat(queue.depth()).isZero();
        // its OFSEP codes still make it a prior exam
        assertThat(store.history("PAT1")).extracting(PriorExam::examCard).containsExactly(ExamCard.PML_SHORT);

        // an unscheduled MPPS with an SPS ID nobody knows is recorded too
        PerformedStep unknownSps = new PerformedStep("1.2.3.8", "IN PROGRESS", "PAT9", null, List.of("NOSUCH"),
                null, "MR_GE", START, null, List.of(), null);
        assertThat(mpps.create(unknownSps)).isEqualTo(Result.OK);
        assertThat(mpps.find("1.2.3.8")).isPresent();
    }

    @Test
    void spsIdSharedByTwoRequestedProceduresIsNarrowedByStudyUid() {
        WorklistItem a = orders.apply(Orders.order("M9A").procedure("AM9A", "RP1", "1", Orders.BRAIN, START, null)
                .build()).get(0);
        WorklistItem b = orders.apply(Orders.order("M9B").procedure("AM9B", "RP2", "1", Orders.BRAIN, START, null)
                .build()).get(0);
        assertThat(mpps.create(step("1.2.3.9", "IN PROGRESS", b, List.of()))).isEqualTo(Result.OK);
        assertThat(store.findByPlacerOrder("M9A").get(0).status()).isEqualTo(SpsStatus.SCHEDULED);
        assertThat(store.findByPlacerOrder("M9B").get(0).status()).isEqualTo(SpsStatus.STARTED);
        assertThat(a.spsId()).isEqualTo(b.spsId());
    }

    @Test
    void historyDateFallsBackToStart() {
        WorklistItem item = schedule("M10");
        mpps.create(step("1.2.3.10", "IN PROGRESS", item, List.of()));
        PerformedStep noEnd = new PerformedStep("1.2.3.10", "COMPLETED", "PAT1", item.studyInstanceUid(),
                List.of(item.spsId()), item.accessionNumber(), "MR_SIEMENS", LocalDateTime.of(2026, 3, 4, 23, 50),
                null, List.of(), null);
        mpps.update(noEnd);
        assertThat(store.history("PAT1")).extracting(PriorExam::date).containsExactly(LocalDate.of(2026, 3, 4));
    }

    @Test
    void nonConformantLongValuesAreStillRecorded() {
        PerformedStep odd = new PerformedStep("1.2.3.11", "IN PROGRESS", "P".repeat(80), null, List.of("NOSUCH"),
                "A".repeat(80), "AE_TITLE_TOO_LONG_FOR_DICOM", START, null, List.of(), new byte[] {9});
        assertThat(mpps.create(odd)).isEqualTo(Result.OK);
        PerformedStep stored = mpps.find("1.2.3.11").orElseThrow();
        assertThat(stored.performedStationAeTitle()).hasSize(16);
        assertThat(stored.dataset()).containsExactly(9);
    }
}
