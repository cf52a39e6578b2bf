package org.ofsep.mwl.store.service;

import org.ofsep.mwl.core.service.UidGenerator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.decision.OfsepDecisionEngine;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.PerformedStep;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.mapping.MappingLoader;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.order.ProcedureRequest;
import org.ofsep.mwl.store.DatabaseSettings;
import org.ofsep.mwl.store.DatabaseTest;
import org.ofsep.mwl.store.JdbcWorklistStore;

/** The store with the real OFSEP engine and the shipped config/mapping.yaml. */
class RealMappingOrderTest extends DatabaseTest {

    static final ProtocolCode MS_CODE = new ProtocolCode("IRMSEP", "99RIS", "IRM cerebrale SEP");

    @Override
    protected DatabaseSettings newDatabase() {
        return h2();
    }

    @Test
    void completedExamFeedsTheNextDecision() {
        MappingSnapshot mapping = MappingLoader.load(Path.of("..", "config", "mapping.yaml"));
        JdbcOrderService orders = new JdbcOrderService(db, () -> mapping, new OfsepDecisionEngine(),
                new UidGenerator(UidGenerator.DEFAULT_ROOT, clock), clock);
        JdbcPerformedStepService mpps = new JdbcPerformedStepService(db, clock);
        JdbcWorklistStore store = new JdbcWorklistStore(db);

        LocalDateTime first = LocalDateTime.of(2025, 3, 3, 9, 0);
        WorklistItem a = orders.apply(Orders.order("R1").procedure(new ProcedureRequest("ACC-R1", null, MS_CODE,
                first, "MR", "suivi SEP", null, null, null, null, Map.of("OBR-21", "IRM2"), List.of())).build()).get(0);
        // no comparable prior known: full protocol with Gd, on the station OBR-21 names
        assertThat(a.stationAeTitle()).isEqualTo("MR_GE");
        assertThat(a.decision().examCard()).isEqualTo(ExamCard.FULL);
        assertThat(a.decision().contrast()).isTrue();
        assertThat(a.spsDescription()).isEqualTo("OFSEP FULL - avec gadolinium");
        assertThat(a.requestedContrastAgent()).isEqualTo("gadobutrol 7.00 mmol 7.0 mL");
        assertThat(a.procedureComments()).contains("OFSEP 2020");
        // the real decision (vendor code map and all) survives its JSON column
        assertThat(store.findBySpsId(a.spsId())).contains(a);
        mpps.create(new PerformedStep("1.2.250.1", "IN PROGRESS", "PAT1", a.studyInstanceUid(), List.of(a.spsId()),
                a.accessionNumber(), "MR_GE", first, null, List.of(), null));
        mpps.update(new PerformedStep("1.2.250.1", "COMPLETED", "PAT1", a.studyInstanceUid(), List.of(a.spsId()),
                a.accessionNumber(), "MR_GE", first, first.plusMinutes(20), a.decision().defaultCodes(), null));
        List<PriorExam> history = store.history("PAT1");
        assertThat(history).containsExactly(new PriorExam("PAT1", first.toLocalDate(), ExamCard.FULL, true, 7.0,
                false, "ACC-R1"));

        LocalDateTime second = LocalDateTime.of(2026, 3, 3, 9, 0);
        WorklistItem b = orders.apply(Orders.order("R2").procedure(new ProcedureRequest("ACC-R2", null, MS_CODE,
                second, "MR", "suivi SEP", null, null, null, null, Map.of(), List.of())).build()).get(0);
        // a year later the recorded exam is the comparable prior: routine protocol, no Gd
        assertThat(b.stationAeTitle()).isEqualTo("MR_SIEMENS");
        assertThat(b.decision().examCard()).isEqualTo(ExamCard.ROUTINE);
        assertThat(b.decision().contrast()).isFalse();
        assertThat(b.spsDescription()).isEqualTo("OFSEP ROUTINE - sans gadolinium");
        assertThat(b.requestedContrastAgent()).isNull();
        assertThat(store.findBySpsId(b.spsId())).contains(b);
    }

    /**
     * A console reports in its Performed Protocol Code Sequence only its own vendor's code (what the gateway sends it
     * first): the history says what that code stands for in the mapping, not what was scheduled. Those codes were
     * ignored (only scheme 99OFSEP was read): a FULL with Gd planned and a Philips OFSEP_FULL (without Gd) performed
     * was recorded with Gd and 7.0 mmol, a ROUTINE planned and a GE OFSEPFULLGD performed without Gd.
     */
    @Test
    void aVendorsPerformedCodeIsWhatTheHistoryRecords() {
        MappingSnapshot mapping = MappingLoader.load(Path.of("..", "config", "mapping.yaml"));
        JdbcOrderService orders = new JdbcOrderService(db, () -> mapping, new OfsepDecisionEngine(),
                new UidGenerator(UidGenerator.DEFAULT_ROOT, clock), clock);
        JdbcPerformedStepService mpps = new JdbcPerformedStepService(db, () -> mapping, clock);
        JdbcWorklistStore store = new JdbcWorklistStore(db);
        LocalDateTime first = LocalDateTime.of(2025, 3, 3, 9, 0);

        WorklistItem p114 = orders.apply(Orders.order("V114").patient("P114", "CENT^QUATORZE").procedure(
                new ProcedureRequest("ACC-V114", null, MS_CODE, first, "MR", "suivi SEP", null, null, null, null,
                        Map.of("OBR-21", "IRM3"), List.of())).build()).get(0);
        assertThat(p114.stationAeTitle()).isEqualTo("MR_PHILIPS");
        assertThat(p114.decision().contrast()).isTrue();
        complete(mpps, "1.2.250.114", p114, "MR_PHILIPS", first,
                new ProtocolCode("OFSEP_FULL", "99PHILIPS", "ExamCard OFSEP Full"));
        assertThat(store.history("P114")).containsExactly(new PriorExam("P114", first.toLocalDate(), ExamCard.FULL,
                false, null, false, "ACC-V114"));

        // P108: a FULL with Gd, then a year later a ROUTINE without Gd, performed with GE's FULL with Gd
        WorklistItem before = orders.apply(Orders.order("V108A").patient("P108", "CENT^HUIT").procedure(
                new ProcedureRequest("ACC-V108A", null, MS_CODE, first, "MR", "suivi SEP", null, null, null, null,
                        Map.of("OBR-21", "IRM2"), List.of())).build()).get(0);
        complete(mpps, "1.2.250.108.1", before, "MR_GE", first, new ProtocolCode("OFSEPFULLGD", "99GEMS", "GD"));
        LocalDateTime second = first.plusYears(1);
        WorklistItem p108 = orders.apply(Orders.order("V108B").patient("P108", "CENT^HUIT").procedure(
                new ProcedureRequest("ACC-V108B", null, MS_CODE, second, "MR", "suivi SEP", null, null, null, null,
                        Map.of("OBR-21", "IRM2"), List.of())).build()).get(0);
        assertThat(p108.decision().contrast()).isFalse();
        complete(mpps, "1.2.250.108.2", p108, "MR_GE", second, new ProtocolCode("OFSEPFULLGD", "99GEMS", "GD"));
        // (newest first; the dose given is not known: the plan had none)
        assertThat(store.history("P108")).containsExactly(
                new PriorExam("P108", second.toLocalDate(), ExamCard.FULL, true, null, false, "ACC-V108B"),
                new PriorExam("P108", first.toLocalDate(), ExamCard.FULL, true, 7.0, false, "ACC-V108A"));
    }

    private static void complete(JdbcPerformedStepService mpps, String uid, WorklistItem item, String station,
                                 LocalDateTime start, ProtocolCode performed) {
        PerformedStep step = new PerformedStep(uid, "IN PROGRESS", item.patient().id(), item.studyInstanceUid(),
                List.of(item.spsId()), item.accessionNumber(), station, start, null, List.of(), null);
        mpps.create(step);
        mpps.update(new PerformedStep(uid, "COMPLETED", item.patient().id(), item.studyInstanceUid(),
                List.of(item.spsId()), item.accessionNumber(), station, start, start.plusMinutes(20),
                List.of(performed), null));
    }

    /**
     * An order written at the visit (ORC-9 2025-09-16) for the MRI of 2026-03-16, then changed (XO, ORC-9 2026-03-01,
     * a new time): the text's "Ocrevus débuté il y a 1 mois" counts back from the day the order was first written
     * (V17 keeps it with the step), in the change too. The change counted from its own ORC-9 and re-decided the
     * treatment as started a month before the exam (found by a second independent review).
     */
    @Test
    void aChangeCountsRelativeDatesFromTheDayTheOrderWasFirstWritten() {
        MappingSnapshot mapping = MappingLoader.load(Path.of("..", "config", "mapping.yaml"));
        JdbcOrderService orders = new JdbcOrderService(db, () -> mapping, new OfsepDecisionEngine(),
                new UidGenerator(UidGenerator.DEFAULT_ROOT, clock), clock);
        java.util.function.BiFunction<String, LocalDateTime, org.ofsep.mwl.core.order.OrderMessage> message =
                (control, at) -> {
                    var o = Orders.order("RW1").control(control, "SC").procedure(new ProcedureRequest("ACC-RW1", null,
                            MS_CODE, at, "MR", "suivi SEP", "SEP RR. Ocrevus débuté il y a 1 mois.", null, "SPS-RW1",
                            null, Map.of(), List.of())).build();
                    return o.withWrittenOn(control.equals("NW") ? java.time.LocalDate.of(2025, 9, 16)
                            : java.time.LocalDate.of(2026, 3, 1));
                };
        WorklistItem nw = orders.apply(message.apply("NW", LocalDateTime.of(2026, 3, 16, 9, 0))).get(0);
        WorklistItem xo = orders.apply(message.apply("XO", LocalDateTime.of(2026, 3, 16, 11, 0))).get(0);
        java.util.function.Function<WorklistItem, String> start = i -> i.decision().facts().stream()
                .filter(f -> f.name().equals("treatmentStart")).findFirst().orElseThrow().value();
        assertThat(start.apply(nw)).isEqualTo("2025-08");
        assertThat(start.apply(xo)).isEqualTo("2025-08");
        assertThat(xo.scheduledStart()).isEqualTo(LocalDateTime.of(2026, 3, 16, 11, 0));
        assertThat(xo.decision().examCard()).isEqualTo(nw.decision().examCard());
        assertThat(xo.decision().rule()).isEqualTo(nw.decision().rule());
    }
}
