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
        // V16: what the message names besides the keys (PID-5, OBR-4, IPC-2/3), kept with the event
        StatusEvent.Details d = due.get(0).details();
        assertThat(d.patientName()).isEqualTo(item.patient().name());
        assertThat(d.requestedProcedureId()).isEqualTo(item.requestedProcedureId());
        assertThat(d.studyInstanceUid()).isEqualTo(item.studyInstanceUid());
        assertThat(d.procedureCode()).isEqualTo(item.requestedProcedureCode());
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

    /** An MPPS with its references (SPS, study, accession per item), a patient, a status and a reason. */
    static PerformedStep mppsFor(String uid, String status, String patientId, String reason,
                                 PerformedStep.StepReference... refs) {
        List<String> sps = java.util.Arrays.stream(refs).map(PerformedStep.StepReference::spsId)
                .filter(java.util.Objects::nonNull).toList();
        return new PerformedStep(uid, status, patientId, refs[0].studyInstanceUid(), sps, refs[0].accessionNumber(),
                "MR_SIEMENS", START.plusMinutes(2), "IN PROGRESS".equals(status) ? null : START.plusMinutes(22),
                List.of(), null, List.of(refs), reason);
    }

    /** Every status event queued for the RIS, in order, as "placer:status" (due() shows one per order at a time). */
    List<String> queued() {
        return db.read(c -> {
            List<String> out = new java.util.ArrayList<>();
            try (var ps = c.prepareStatement("SELECT placer_order_number, status FROM outbound_event ORDER BY id");
                 var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + ":" + rs.getString(2));
                }
            }
            return out;
        });
    }

    static PerformedStep.StepReference ref(WorklistItem item) {
        return new PerformedStep.StepReference(item.spsId(), item.studyInstanceUid(), item.accessionNumber());
    }

    /**
     * An SPS ID two patients' steps share, in an MPPS for a third patient whose study and accession match neither:
     * no step is started or completed (both were, and the RIS heard IP and CM for both; found by an independent
     * review). An MPPS for another patient naming one step's SPS ID leaves that step alone too, and its exam does
     * not go into that step's patient's history.
     */
    @Test
    void anMppsNeverMovesAnotherPatientsStep() {
        WorklistItem q1 = orders.apply(Orders.order("Q101").patient("Q101", "UN^A").procedure("A101", "RP1", "7",
                Orders.BRAIN, START, null).build()).get(0);
        WorklistItem q2 = orders.apply(Orders.order("Q102").patient("Q102", "DEUX^B").procedure("A102", "RP2", "7",
                Orders.BRAIN, START, null).build()).get(0);
        PerformedStep.StepReference third = new PerformedStep.StepReference("7", "2.25.199", "A199");
        assertThat(mpps.create(mppsFor("1.2.3.20", "IN PROGRESS", "Q199", null, third))).isEqualTo(Result.OK);
        assertThat(mpps.update(mppsFor("1.2.3.20", "COMPLETED", "Q199", null, third))).isEqualTo(Result.OK);
        assertThat(status(q1)).isEqualTo(SpsStatus.SCHEDULED);
        assertThat(status(q2)).isEqualTo(SpsStatus.SCHEDULED);
        assertThat(queued()).isEmpty();

        WorklistItem q3 = orders.apply(Orders.order("Q103").patient("Q103", "TROIS^C").procedure("A103", "RP3",
                "VSPS103", Orders.BRAIN, START, null).build()).get(0);
        PerformedStep.StepReference other = new PerformedStep.StepReference("VSPS103", "2.25.198", "A198");
        assertThat(mpps.create(mppsFor("1.2.3.21", "IN PROGRESS", "Q198", null, other))).isEqualTo(Result.OK);
        assertThat(mpps.update(mppsFor("1.2.3.21", "COMPLETED", "Q198", null, other))).isEqualTo(Result.OK);
        assertThat(status(q3)).isEqualTo(SpsStatus.SCHEDULED);
        assertThat(store.history("Q103")).isEmpty();
        assertThat(queued()).isEmpty();
        assertThat(mpps.find("1.2.3.21")).isPresent(); // the exam is kept
    }

    /**
     * The IHE group case with SPS IDs numbered per requested procedure: one MPPS, two items, each with its own SPS
     * ID "1", study and accession. Both steps start and complete (the second stayed SCHEDULED: the items were
     * narrowed with the first item's study).
     */
    @Test
    void aGroupCaseWithRepeatedSpsIdsReachesEveryStep() {
        WorklistItem a = orders.apply(Orders.order("G105").patient("Q105", "GROUP^A").procedure("A105", "RP1", "1",
                Orders.BRAIN, START, null).build()).get(0);
        WorklistItem b = orders.apply(Orders.order("G106").patient("Q105", "GROUP^A").procedure("A106", "RP1", "1",
                Orders.SPINE, START, null).build()).get(0);
        assertThat(mpps.create(mppsFor("1.2.3.22", "IN PROGRESS", "Q105", null, ref(a), ref(b))))
                .isEqualTo(Result.OK);
        // both carry SPS ID "1": read by order
        assertThat(store.findByPlacerOrder("G105").get(0).status()).isEqualTo(SpsStatus.STARTED);
        assertThat(store.findByPlacerOrder("G106").get(0).status()).isEqualTo(SpsStatus.STARTED);
        assertThat(mpps.update(mppsFor("1.2.3.22", "COMPLETED", "Q105", null, ref(a), ref(b))))
                .isEqualTo(Result.OK);
        assertThat(store.findByPlacerOrder("G105").get(0).status()).isEqualTo(SpsStatus.COMPLETED);
        assertThat(store.findByPlacerOrder("G106").get(0).status()).isEqualTo(SpsStatus.COMPLETED);
        assertThat(queued()).containsExactly("G105:IP", "G106:IP", "G105:CM", "G106:CM");
    }

    /**
     * IHE RAD TF-2 4.7.4.1.3.1: discontinued as "Incorrect worklist entry selected" (DCM 110514), the step was not
     * performed: it is scheduled again (back on the console's list, the RIS told SC), no exam in the history. It
     * left the worklist as DISCONTINUED before.
     */
    @Test
    void aWrongWorklistEntryIsScheduledAgain() {
        WorklistItem item = schedule("M14");
        assertThat(mpps.create(mppsFor("1.2.3.23", "IN PROGRESS", "PAT1", null, ref(item)))).isEqualTo(Result.OK);
        assertThat(mpps.update(mppsFor("1.2.3.23", "DISCONTINUED", "PAT1", PerformedStep.INCORRECT_WORKLIST_ENTRY,
                ref(item)))).isEqualTo(Result.OK);
        assertThat(status(item)).isEqualTo(SpsStatus.SCHEDULED);
        assertThat(queued()).containsExactly("M14:IP", "M14:SC");
        assertThat(store.history("PAT1")).isEmpty();
        // any other reason is a discontinued step, as before
        WorklistItem other = schedule("M15");
        mpps.create(mppsFor("1.2.3.24", "IN PROGRESS", "PAT1", null, ref(other)));
        mpps.update(mppsFor("1.2.3.24", "DISCONTINUED", "PAT1", "110513^DCM", ref(other)));
        assertThat(status(other)).isEqualTo(SpsStatus.DISCONTINUED);
    }

    /** A retake after a discontinued MPPS starts and completes the step again, and the RIS hears IP, DC, IP, CM. */
    @Test
    void aRetakeAfterADiscontinuedStepReachesTheRis() {
        WorklistItem item = schedule("M16");
        mpps.create(mppsFor("1.2.3.25", "IN PROGRESS", "PAT1", null, ref(item)));
        mpps.update(mppsFor("1.2.3.25", "DISCONTINUED", "PAT1", "110513^DCM", ref(item)));
        assertThat(mpps.create(mppsFor("1.2.3.26", "IN PROGRESS", "PAT1", null, ref(item)))).isEqualTo(Result.OK);
        assertThat(status(item)).isEqualTo(SpsStatus.STARTED);
        mpps.update(mppsFor("1.2.3.26", "COMPLETED", "PAT1", null, ref(item)));
        assertThat(status(item)).isEqualTo(SpsStatus.COMPLETED);
        assertThat(queued()).containsExactly("M16:IP", "M16:DC", "M16:IP", "M16:CM");
    }

    /**
     * Found by a second review of these fixes: a step the RIS discontinued (ORC DC) is not started again by an MPPS
     * (only one a modality discontinued is, a retake); an MPPS that still carries the Patient ID from before a merge
     * is linked by its step's very Study Instance UID; a console's own Study Instance UID leaves the accession to
     * decide among steps sharing the SPS ID.
     */
    @Test
    void risDiscontinuedMergedPatientsAndAConsolesOwnStudyUid() {
        WorklistItem dc = schedule("M18");
        orders.apply(Orders.order("M18").control("DC", "CA").build());
        assertThat(status(dc)).isEqualTo(SpsStatus.DISCONTINUED);
        mpps.create(mppsFor("1.2.3.28", "IN PROGRESS", "PAT1", null, ref(dc)));
        mpps.update(mppsFor("1.2.3.28", "COMPLETED", "PAT1", null, ref(dc)));
        assertThat(status(dc)).isEqualTo(SpsStatus.DISCONTINUED);
        assertThat(queued()).isEmpty();

        WorklistItem old = orders.apply(Orders.order("M19").patient("OLD19", "AVANT^FUSION").procedure("A19", START)
                .build()).get(0);
        orders.mergePatient(new org.ofsep.mwl.core.domain.Patient("NEW19", null, "APRES^FUSION", null, null),
                "OLD19", null);
        assertThat(mpps.create(mppsFor("1.2.3.29", "IN PROGRESS", "OLD19", null, ref(old)))).isEqualTo(Result.OK);
        assertThat(status(old)).isEqualTo(SpsStatus.STARTED);
        // another patient with another study is still never linked
        PerformedStep.StepReference otherStudy = new PerformedStep.StepReference(old.spsId(), "2.25.7", null);
        mpps.create(mppsFor("1.2.3.30", "IN PROGRESS", "SOMEONE", null, otherStudy));
        assertThat(mpps.update(mppsFor("1.2.3.30", "COMPLETED", "SOMEONE", null, otherStudy)))
                .isEqualTo(Result.OK);
        assertThat(status(old)).isEqualTo(SpsStatus.STARTED);

        WorklistItem a = orders.apply(Orders.order("M20A").patient("Q20", "DEUX^ORDRES").procedure("A20A", "RP1", "1",
                Orders.BRAIN, START, null).build()).get(0);
        WorklistItem b = orders.apply(Orders.order("M20B").patient("Q20", "DEUX^ORDRES").procedure("A20B", "RP1", "1",
                Orders.BRAIN, START, null).build()).get(0);
        PerformedStep.StepReference consoleStudy = new PerformedStep.StepReference("1", "2.25.99999", "A20B");
        mpps.create(mppsFor("1.2.3.31", "IN PROGRESS", "Q20", null, consoleStudy));
        // (both carry SPS ID "1": read by order)
        assertThat(store.findByPlacerOrder("M20A").get(0).status()).isEqualTo(SpsStatus.SCHEDULED);
        assertThat(store.findByPlacerOrder("M20B").get(0).status()).isEqualTo(SpsStatus.STARTED);
        assertThat(a.spsId()).isEqualTo(b.spsId());
    }

    /**
     * SPS ID is Type 2 in the Scheduled Step Attributes Sequence (PS3.4 Table F.7.2-1): a console that leaves it
     * empty but names the step's own Study Instance UID (the one the worklist published) and accession reports that
     * step. Such an MPPS was taken as unscheduled (found by an independent tester): the step stayed SCHEDULED on
     * every worklist, the RIS heard neither IP nor CM, and the exam never entered the history.
     */
    @Test
    void aStepIsNamedByItsStudyWhenTheSpsIdIsEmpty() {
        WorklistItem item = schedule("M21");
        PerformedStep.StepReference byStudy = new PerformedStep.StepReference(null, item.studyInstanceUid(),
                item.accessionNumber());
        assertThat(mpps.create(mppsFor("1.2.3.40", "IN PROGRESS", "PAT1", null, byStudy))).isEqualTo(Result.OK);
        assertThat(status(item)).isEqualTo(SpsStatus.STARTED);
        assertThat(mpps.update(mppsFor("1.2.3.40", "COMPLETED", "PAT1", null, byStudy))).isEqualTo(Result.OK);
        assertThat(status(item)).isEqualTo(SpsStatus.COMPLETED);
        assertThat(queued()).containsExactly("M21:IP", "M21:CM");
        assertThat(store.history("PAT1")).containsExactly(new PriorExam("PAT1", START.toLocalDate(), ExamCard.FULL,
                true, 7.0, false, "AM21"));

        // the study alone (no accession) names it too
        WorklistItem other = schedule("M22");
        mpps.create(mppsFor("1.2.3.41", "IN PROGRESS", "PAT1", null,
                new PerformedStep.StepReference(null, other.studyInstanceUid(), null)));
        assertThat(status(other)).isEqualTo(SpsStatus.STARTED);
    }

    /**
     * By its study, a step is only ever one of the MPPS's own Patient ID, with the accession when one is given, and
     * only when exactly one step answers: else the MPPS is kept and moves nothing, as an unscheduled one.
     */
    @Test
    void aStudyWithoutSpsIdNamesOnlyOneStepOfThePatient() {
        WorklistItem item = orders.apply(Orders.order("M23").patient("Q23", "ETUDE^SEULE").procedure("A23", START)
                .build()).get(0);
        PerformedStep.StepReference study = new PerformedStep.StepReference(null, item.studyInstanceUid(), "A23");
        // another Patient ID
        mpps.create(mppsFor("1.2.3.42", "IN PROGRESS", "Q99", null, study));
        mpps.update(mppsFor("1.2.3.42", "COMPLETED", "Q99", null, study));
        // no Patient ID
        mpps.create(mppsFor("1.2.3.43", "IN PROGRESS", null, null, study));
        // another accession
        mpps.create(mppsFor("1.2.3.44", "IN PROGRESS", "Q23", null,
                new PerformedStep.StepReference(null, item.studyInstanceUid(), "A99")));
        // a study UID of the console's own
        mpps.create(mppsFor("1.2.3.45", "IN PROGRESS", "Q23", null,
                new PerformedStep.StepReference(null, "2.25.12345", "A23")));
        assertThat(status(item)).isEqualTo(SpsStatus.SCHEDULED);
        assertThat(queued()).isEmpty();
        assertThat(store.history("Q23")).isEmpty();
        assertThat(mpps.find("1.2.3.44")).isPresent(); // the exams are kept

        // two steps of the patient share the study (a RIS that sends its own Study Instance UID): the study alone
        // names none, the accession tells them apart
        String shared = "1.2.250.1.77.23";
        WorklistItem a = orders.apply(Orders.order("M24A").patient("Q24", "DEUX^ETUDES").procedure(
                new org.ofsep.mwl.core.order.ProcedureRequest("A24A", null, Orders.BRAIN, START, "MR", "suivi SEP",
                        null, shared, null, null, java.util.Map.of(), List.of())).build()).get(0);
        WorklistItem b = orders.apply(Orders.order("M24B").patient("Q24", "DEUX^ETUDES").procedure(
                new org.ofsep.mwl.core.order.ProcedureRequest("A24B", null, Orders.BRAIN, START, "MR", "suivi SEP",
                        null, shared, null, null, java.util.Map.of(), List.of())).build()).get(0);
        assertThat(a.studyInstanceUid()).isEqualTo(shared).isEqualTo(b.studyInstanceUid());
        mpps.create(mppsFor("1.2.3.46", "IN PROGRESS", "Q24", null,
                new PerformedStep.StepReference(null, shared, null)));
        assertThat(status(a)).isEqualTo(SpsStatus.SCHEDULED);
        assertThat(status(b)).isEqualTo(SpsStatus.SCHEDULED);
        mpps.create(mppsFor("1.2.3.47", "IN PROGRESS", "Q24", null,
                new PerformedStep.StepReference(null, shared, "A24B")));
        assertThat(status(a)).isEqualTo(SpsStatus.SCHEDULED);
        assertThat(status(b)).isEqualTo(SpsStatus.STARTED);
        assertThat(queued()).containsExactly("M24B:IP");
    }

    /** A step the RIS canceled stays canceled whatever the modality does, and nothing goes to the RIS. */
    @Test
    void aCanceledStepStaysCanceled() {
        WorklistItem item = schedule("M17");
        orders.apply(Orders.order("M17").control("CA", "CA").build());
        assertThat(mpps.create(mppsFor("1.2.3.27", "IN PROGRESS", "PAT1", null, ref(item)))).isEqualTo(Result.OK);
        assertThat(mpps.update(mppsFor("1.2.3.27", "COMPLETED", "PAT1", null, ref(item)))).isEqualTo(Result.OK);
        assertThat(status(item)).isEqualTo(SpsStatus.CANCELED);
        assertThat(queued()).isEmpty();
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
