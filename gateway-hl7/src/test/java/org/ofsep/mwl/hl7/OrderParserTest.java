package org.ofsep.mwl.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.PartialDate;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.facts.FactExtractor;
import org.ofsep.mwl.core.mapping.MappingLoader;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.order.Observation;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.ProcedureRequest;
import org.ofsep.mwl.hl7.support.Hl7Files;

class OrderParserTest {

    private final MessageParser parser = new MessageParser();

    private Hl7Request parseFile(String name) {
        InboundFrame frame = InboundFrame.decode(Hl7Files.bytes(name));
        assertThat(frame.charsetError()).isNull();
        return parser.parse(frame.text(), frame.charset());
    }

    /** The shipped mapping: its unit table reads the body weight (the one rule, in core). */
    private static final MappingSnapshot SHIPPED = MappingLoader.load(Path.of("../config/mapping.yaml"));

    /** The body weight the worklist item and the dose get from the parsed order's first procedure. */
    private static Double weightKg(OrderMessage o) {
        return FactExtractor.weightKg(SHIPPED, o.procedures().get(0));
    }

    private OrderMessage order(String name) {
        Hl7Request request = parseFile(name);
        assertThat(request).isInstanceOf(Hl7Request.Order.class);
        return ((Hl7Request.Order) request).order();
    }

    @Test
    void ormV231InLatin1CarriesAccentsZdsAndRepeatedObx() {
        OrderMessage o = order("orm-o01-v231-latin1.hl7");
        assertThat(o.messageControlId()).isEqualTo("MSG231-0001");
        assertThat(o.sendingApplication()).isEqualTo("RIS^CHU-RENNES");
        assertThat(o.orderControl()).isEqualTo("NW");
        assertThat(o.orderStatus()).isEqualTo("SC");
        assertThat(o.placerOrderNumber()).isEqualTo("PLC7001");
        assertThat(o.fillerOrderNumber()).isEqualTo("FIL7001");
        // the PI identifier, not the national one in the second repetition
        assertThat(o.patient().id()).isEqualTo("PAT7001");
        assertThat(o.patient().issuer()).isEqualTo("CHU");
        assertThat(o.patient().name()).isEqualTo("DUPRÉ^HÉLÈNE^MARIE^MME");
        assertThat(o.patient().birthDate()).isEqualTo(LocalDate.of(1980, 1, 15));
        assertThat(o.patient().sex()).isEqualTo("F");
        assertThat(weightKg(o)).isEqualTo(68.5);
        assertThat(o.diagnosisCodes()).containsExactly("G35");
        assertThat(o.referringPhysician()).isEqualTo("NEURO^PAUL^^DR");

        assertThat(o.procedures()).hasSize(1);
        ProcedureRequest p = o.procedures().get(0);
        assertThat(p.accessionNumber()).isEqualTo("ACC7001");
        assertThat(p.requestedProcedureId()).isEqualTo("RP7001");
        assertThat(p.spsId()).isEqualTo("SPS7001");
        assertThat(p.procedureCode()).isEqualTo(new ProtocolCode("IRM-SEP", "L", "IRM cérébrale SEP"));
        assertThat(p.scheduledStart()).isEqualTo(LocalDateTime.of(2026, 11, 26, 9, 0));
        assertThat(p.modality()).isEqualTo("MR");
        assertThat(p.reason()).isEqualTo("Suivi sclérose en plaques");
        assertThat(p.clinicalInfo()).isEqualTo("Suivi annuel, patiente sous natalizumab");
        assertThat(p.studyInstanceUid()).isEqualTo("1.2.250.1.59.453.859.7001");
        assertThat(p.stationAeTitle()).isNull();
        assertThat(p.fields()).containsEntry("OBR-21", "IRM1").containsEntry("PV1-3", "IRM1^^^CHU")
                .containsEntry("PV1-3.1", "IRM1").containsEntry("ORC-1", "NW").containsEntry("MSH-18", "8859/1");
        // MSH-18 typed at the HL7 edge: the DICOM character set the worklist items take
        assertThat(o.specificCharacterSet()).isEqualTo("ISO_IR 100");
        assertThat(p.observations()).extracting(Observation::code).containsExactly("29463-7", "MS-CONTEXT", "DMT",
                "DMT-START", "JCV-STATUS", "JCV-INDEX");
        assertThat(p.observations()).contains(
                Observation.ofNumber("29463-7", "LN", new BigDecimal("68.5"), "kg"),
                new Observation("MS-CONTEXT", "99OFSEP", "CE", "FOLLOW_UP", null),
                new Observation("DMT-START", "99OFSEP", "DT", "20230301", null, PartialDate.of(2023, 3, 1), null),
                Observation.ofNumber("JCV-INDEX", "99OFSEP", new BigDecimal("1.8"), null));
    }

    @Test
    void ormV24ResolvesEveryEscapeAndSplitsTwoObr() {
        OrderMessage o = order("orm-o01-v24-escapes.hl7");
        // JEAN\S\LUC is one given name holding a literal '^' (issue 16 #12): DICOM PN cannot, so a space
        assertThat(o.patient().name()).isEqualTo("O&BRIEN^JEAN LUC");
        assertThat(o.procedures()).hasSize(2);
        ProcedureRequest brain = o.procedures().get(0);
        assertThat(brain.clinicalInfo())
                .isEqualTo("Pipe | caret ^ amp & tilde ~ backslash \\ hex OK end");
        assertThat(brain.reason()).isEqualTo("Contrôle annuel");
        assertThat(brain.scheduledStart()).isEqualTo(LocalDateTime.of(2026, 11, 26, 10, 0));
        assertThat(brain.accessionNumber()).isEqualTo("ACC7002A");
        // 180 lb
        assertThat(weightKg(o)).isEqualTo(81.647);
        // a repeated CE value gives one observation per repetition
        assertThat(brain.observations()).extracting(Observation::value).contains("RELAPSE", "INTERCURRENT");
        ProcedureRequest spine = o.procedures().get(1);
        assertThat(spine.procedureCode().value()).isEqualTo("24980-5");
        assertThat(spine.accessionNumber()).isEqualTo("ACC7002B");
        assertThat(spine.scheduledStart()).isEqualTo(LocalDateTime.of(2026, 11, 26, 10, 30));
        // OBX belong to the OBR before them
        assertThat(spine.observations()).extracting(Observation::code).containsExactly("LAST-SPINE-MRI");
        assertThat(brain.observations()).extracting(Observation::code).doesNotContain("LAST-SPINE-MRI");
    }

    @Test
    void ormV25InUtf8TakesTq1StartAndReferringPhysician() {
        OrderMessage o = order("orm-o01-v25-utf8.hl7");
        assertThat(o.patient().name()).isEqualTo("DUPRÉ^HÉLÈNE");
        assertThat(o.patient().birthDate()).isEqualTo(LocalDate.of(1992, 3, 4));
        assertThat(o.patient().issuer()).isEqualTo("CHU");
        assertThat(o.referringPhysician()).isEqualTo("RÉFÉRENT^JEAN");
        assertThat(weightKg(o)).isEqualTo(60.0);
        ProcedureRequest p = o.procedures().get(0);
        assertThat(p.scheduledStart()).isEqualTo(LocalDateTime.of(2026, 11, 27, 14, 0));
        assertThat(p.procedureCode().meaning()).isEqualTo("IRM cérébrale SEP");
        assertThat(p.reason()).isEqualTo("Bilan initial SEP");
        assertThat(p.clinicalInfo()).isEqualTo("Bilan initial, névrite optique");
        assertThat(p.studyInstanceUid()).isNull();
        assertThat(p.observations()).contains(new Observation("MS-CONTEXT", "99OFSEP", "CWE", "DIAGNOSIS", null),
                Observation.ofNumber("EGFR", "99OFSEP", new BigDecimal("85"), "mL/min/1.73m2"));
        assertThat(p.fields()).containsEntry("MSH-18", "UNICODE UTF-8");
        assertThat(o.specificCharacterSet()).isEqualTo("ISO_IR 192");
    }

    @Test
    void omiV251GivesOneProcedurePerIpc() {
        OrderMessage o = order("omi-o23-v251-ihe.hl7");
        assertThat(o.orderControl()).isEqualTo("NW");
        assertThat(o.referringPhysician()).isEqualTo("PRESCRIPTEUR^ANNE");
        assertThat(weightKg(o)).isEqualTo(72.0);
        assertThat(o.procedures()).hasSize(2);
        for (ProcedureRequest p : o.procedures()) {
            assertThat(p.accessionNumber()).isEqualTo("ACC7004");
            assertThat(p.requestedProcedureId()).isEqualTo("RP7004");
            assertThat(p.studyInstanceUid()).isEqualTo("1.2.250.1.59.453.859.7004");
            assertThat(p.modality()).isEqualTo("MR");
            assertThat(p.stationAeTitle()).isEqualTo("MR_CANON");
            assertThat(p.scheduledStart()).isEqualTo(LocalDateTime.of(2026, 11, 28, 10, 0));
            assertThat(p.procedureCode()).isEqualTo(new ProtocolCode("24590-2", "LN", "MR Brain WO contrast"));
            assertThat(p.reason()).isEqualTo("Depistage LEMP");
            assertThat(p.fields()).containsEntry("IPC-9", "MR_CANON").containsEntry("TQ1-7", "202611281000");
            assertThat(p.observations()).extracting(Observation::code).containsExactly("29463-7", "MS-CONTEXT");
        }
        assertThat(o.procedures()).extracting(ProcedureRequest::spsId).containsExactly("SPS7004A", "SPS7004B");
    }

    @Test
    void cancelAndXoWithEmptyStatusAreReadAsSent() {
        OrderMessage ca = order("orm-ca-v231.hl7");
        assertThat(ca.orderControl()).isEqualTo("CA");
        assertThat(ca.orderStatus()).isEqualTo("CA");
        OrderMessage update = order("orm-xo-sc-v231.hl7");
        assertThat(update.orderControl()).isEqualTo("XO");
        assertThat(update.orderStatus()).isEqualTo("SC");
        assertThat(update.procedures().get(0).clinicalInfo()).isEqualTo("Poussée récente");
        assertThat(update.procedures().get(0).scheduledStart()).isEqualTo(LocalDateTime.of(2026, 11, 27, 15, 0));
        OrderMessage xo = order("orm-xo-empty-orc5.hl7");
        assertThat(xo.orderControl()).isEqualTo("XO");
        assertThat(xo.orderStatus()).isNull();
    }

    @Test
    void adtA08AndA31UpdateDemographics() {
        Hl7Request a08 = parseFile("adt-a08-v231.hl7");
        assertThat(a08).isInstanceOf(Hl7Request.PatientUpdate.class);
        assertThat(((Hl7Request.PatientUpdate) a08).patient().name()).isEqualTo("DUPRÉ-MARTIN^HÉLÈNE^MARIE");
        assertThat(((Hl7Request.PatientUpdate) a08).patient().id()).isEqualTo("PAT7001");
        Hl7Request a31 = parseFile("adt-a31-v25.hl7");
        assertThat(((Hl7Request.PatientUpdate) a31).patient().birthDate()).isEqualTo(LocalDate.of(1975, 12, 30));
    }

    @Test
    void adtA40NamesTheMergedIdentifier() {
        Hl7Request a40 = parseFile("adt-a40-v231.hl7");
        assertThat(a40).isInstanceOf(Hl7Request.PatientMerge.class);
        Hl7Request.Merge merge = ((Hl7Request.PatientMerge) a40).merges().get(0);
        assertThat(merge.survivor().id()).isEqualTo("PAT7001");
        assertThat(merge.oldPatientId()).isEqualTo("PAT9001");
        assertThat(merge.oldIssuer()).isEqualTo("CHU");
    }

    /**
     * A34 and A18 carry the same PID and MRG as A40 (RIS in 2.3/2.3.1 still send them): the same merge. A merge
     * without the survivor's name (PID-5) is refused: the moved items would keep the old patient's name under the
     * surviving ID (found by an independent review).
     */
    @Test
    void a34AndA18AreMergesAndAMergeNeedsTheSurvivorsName() {
        String a40 = new String(Hl7Files.bytes("adt-a40-v231.hl7"), StandardCharsets.US_ASCII);
        for (String event : new String[] {"A34", "A18"}) {
            Hl7Request r = parser.parse(a40.replace("ADT^A40", "ADT^" + event).replace("EVN|A40", "EVN|" + event),
                    StandardCharsets.US_ASCII);
            assertThat(r).as(event).isInstanceOf(Hl7Request.PatientMerge.class);
            assertThat(((Hl7Request.PatientMerge) r).merges()).singleElement()
                    .satisfies(m -> assertThat(m.oldPatientId()).isEqualTo("PAT9001"));
        }
        assertThatThrownBy(() -> parser.parse(a40.replace("DUPRE^HELENE", ""), StandardCharsets.US_ASCII))
                .isInstanceOf(Hl7MessageException.class).hasMessageContaining("PID-5")
                .extracting("ackCode").isEqualTo("AE");
    }

    @Test
    void missingRequiredFieldsAreNamed() {
        assertThatThrownBy(() -> parseFile("orm-missing-pid3.hl7")).isInstanceOf(Hl7MessageException.class)
                .hasMessageContaining("PID-3")
                .satisfies(e -> {
                    assertThat(((Hl7MessageException) e).ackCode()).isEqualTo("AE");
                    assertThat(((Hl7MessageException) e).location()).isEqualTo("PID-3");
                    assertThat(((Hl7MessageException) e).errorCode()).isEqualTo(101);
                });
        assertThatThrownBy(() -> parseFile("orm-missing-obr4.hl7")).isInstanceOf(Hl7MessageException.class)
                .hasMessageContaining("OBR-4")
                .satisfies(e -> assertThat(((Hl7MessageException) e).location()).isEqualTo("OBR-4"));
        assertThatThrownBy(() -> parseFile("orm-missing-placer.hl7")).isInstanceOf(Hl7MessageException.class)
                .hasMessageContaining("ORC-2")
                .satisfies(e -> assertThat(((Hl7MessageException) e).location()).isEqualTo("ORC-2"));
    }

    @Test
    void placerFallsBackToObr2AndMissingOrc1IsNamed() {
        String msg = "MSH|^~\\&|RIS|H|GW|H|20261125||ORM^O01|C1|P|2.3.1\rPID|1||P1||DOE^J\rORC|NW|||||SC\r"
                + "OBR|1|PL9|FI9|24590-2^MR Brain^LN\r";
        OrderMessage o = ((Hl7Request.Order) parser.parse(msg, StandardCharsets.US_ASCII)).order();
        assertThat(o.placerOrderNumber()).isEqualTo("PL9");
        assertThat(o.fillerOrderNumber()).isEqualTo("FI9");

        String noOrc1 = "MSH|^~\\&|RIS|H|GW|H|20261125||ORM^O01|C2|P|2.3.1\rPID|1||P1\rORC||PL9\r"
                + "OBR|1|PL9||24590-2^MR Brain^LN\r";
        assertThatThrownBy(() -> parser.parse(noOrc1, StandardCharsets.US_ASCII))
                .isInstanceOf(Hl7MessageException.class).hasMessageContaining("ORC-1");
    }

    @Test
    void unsupportedTypeIsRejectedAndGarbageIsUnparsable() {
        assertThatThrownBy(() -> parseFile("oru-r01-unsupported.hl7")).isInstanceOf(Hl7MessageException.class)
                .satisfies(e -> {
                    assertThat(((Hl7MessageException) e).ackCode()).isEqualTo("AR");
                    assertThat(((Hl7MessageException) e).errorCode()).isEqualTo(200);
                })
                .hasMessageContaining("ORU^R01");
        assertThatThrownBy(() -> parser.parse("this is not HL7", StandardCharsets.US_ASCII))
                .isInstanceOf(Hl7MessageException.class)
                .satisfies(e -> assertThat(((Hl7MessageException) e).ackCode()).isEqualTo("AR"));
        assertThatThrownBy(() -> parser.parse("MSH|^~\\&|RIS|H|GW|H|20261125||ORM^O01|C3|P|3.0\rPID|1||P1\r",
                StandardCharsets.US_ASCII)).isInstanceOf(Hl7MessageException.class).hasMessageContaining("MSH-12");
    }

    @Test
    void omgO19IsReadLikeAnOrder() {
        String msg = "MSH|^~\\&|RIS|H|GW|H|20261125||OMG^O19^OMG_O19|C5|P|2.5.1\rPID|1||P5^^^H^PI||NOM^PRENOM\r"
                + "ORC|NW|PL5|FI5||SC\rTQ1|1||||||202612011000\rOBR|1|PL5|FI5|24590-2^MR Brain^LN||||||||||||||"
                + "ACC5|RP5|SPS5|IRM3|||MR\r";
        OrderMessage o = ((Hl7Request.Order) parser.parse(msg, StandardCharsets.US_ASCII)).order();
        assertThat(o.procedures()).singleElement().satisfies(p -> {
            assertThat(p.accessionNumber()).isEqualTo("ACC5");
            assertThat(p.scheduledStart()).isEqualTo(LocalDateTime.of(2026, 12, 1, 10, 0));
            assertThat(p.fields()).containsEntry("OBR-21", "IRM3");
        });
    }

    @Test
    void orderGroupsThatDisagreeOnTheActionAreRefused() {
        String msg = "MSH|^~\\&|RIS|H|GW|H|20261125||ORM^O01|C6|P|2.4\rPID|1||P6\r"
                + "ORC|NW|PL6||||SC\rOBR|1|PL6||24590-2^MR Brain^LN\r"
                + "ORC|CA|PL6||||CA\rOBR|2|PL6||24980-5^MR Spine^LN\r";
        assertThatThrownBy(() -> parser.parse(msg, StandardCharsets.US_ASCII)).isInstanceOf(Hl7MessageException.class)
                .hasMessageContaining("ORC-1/ORC-5");
        String noType = "MSH|^~\\&|RIS|H|GW|H|20261125|||C7|P|2.4\rPID|1||P7\r";
        assertThatThrownBy(() -> parser.parse(noType, StandardCharsets.US_ASCII))
                .isInstanceOfSatisfying(Hl7MessageException.class, e -> {
                    // the gateway's words and code (101, README), not HAPI's "Can't determine message structure"
                    assertThat(e.errorCode()).isEqualTo(Hl7MessageException.REQUIRED_FIELD_MISSING);
                    assertThat(e.location()).isEqualTo("MSH-9");
                    assertThat(e.getMessage()).doesNotContain("HINT");
                });
        String noTrigger = noType.replace("20261125|||C7", "20261125||ORM|C7");
        assertThatThrownBy(() -> parser.parse(noTrigger, StandardCharsets.US_ASCII))
                .isInstanceOfSatisfying(Hl7MessageException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(Hl7MessageException.REQUIRED_FIELD_MISSING);
                    assertThat(e.getMessage()).contains("trigger event");
                });
    }

    @Test
    void badDateIsRefusedNamingTheField() {
        String msg = "MSH|^~\\&|RIS|H|GW|H|20261125||ORM^O01|C4|P|2.4\rPID|1||P1||X^Y||19801345\rORC|NW|PL1\r"
                + "OBR|1|PL1||24590-2^MR Brain^LN\r";
        assertThatThrownBy(() -> parser.parse(msg, StandardCharsets.US_ASCII)).isInstanceOf(Hl7MessageException.class)
                .hasMessageContaining("PID-7")
                // the message goes to the logs: no birth date in it, even a wrong one
                .hasMessageNotContaining("19801345");
    }

    @Test
    void nteCommentsBelongToTheirProcedureAndTheOrdersToAll() {
        String msg = "MSH|^~\\&|RIS|H|GW|H|20261125||ORM^O01|C8|P|2.3.1\rPID|1||P8||DOE^J\r"
                + "NTE|1||Patiente sous Tysabri depuis 01/2023\r"
                + "ORC|NW|PL8||||SC\rOBR|1|PL8||24590-2^MR Brain^LN\rNTE|1||JCV positif~index 1,7\r"
                + "OBX|1|TX|CLIN^Renseignements^L||DFG 25 mL/min\rNTE|2||Derniere IRM 11/2025\r"
                + "OBR|2|PL8||24980-5^MR Spine^LN\r";
        OrderMessage o = ((Hl7Request.Order) parser.parse(msg, StandardCharsets.US_ASCII)).order();
        assertThat(o.procedures().get(0).comments()).containsExactly("Patiente sous Tysabri depuis 01/2023",
                "JCV positif\nindex 1,7", "Derniere IRM 11/2025");
        assertThat(o.procedures().get(0).observations()).singleElement()
                .satisfies(x -> assertThat(x.value()).isEqualTo("DFG 25 mL/min"));
        assertThat(o.procedures().get(1).comments()).containsExactly("Patiente sous Tysabri depuis 01/2023");
    }

    /**
     * The day the order was written, from which the clinical text's "il y a 5 mois" counts back: ORC-9 (date/time of
     * the transaction), else MSH-7; a value that is not a date does not refuse the order (the text then counts from
     * the exam).
     */
    @Test
    void theDayTheOrderWasWrittenIsOrc9ElseMsh7() {
        String orc9 = "MSH|^~\\&|RIS|H|GW|H|20260310101500||ORM^O01|W1|P|2.3.1\rPID|1||P1||DOE^J\r"
                + "ORC|NW|PL1||||SC|||20250916143000\rOBR|1|PL1||24590-2^MR Brain^LN\r";
        assertThat(((Hl7Request.Order) parser.parse(orc9, StandardCharsets.US_ASCII)).order().writtenOn())
                .isEqualTo(LocalDate.of(2025, 9, 16));
        String msh7 = orc9.replace("20250916143000", "");
        assertThat(((Hl7Request.Order) parser.parse(msh7, StandardCharsets.US_ASCII)).order().writtenOn())
                .isEqualTo(LocalDate.of(2026, 3, 10));
        String badOrc9 = orc9.replace("20250916143000", "16/09/2025");
        assertThat(((Hl7Request.Order) parser.parse(badOrc9, StandardCharsets.US_ASCII)).order().writtenOn())
                .isEqualTo(LocalDate.of(2026, 3, 10));
        String neither = msh7.replace("20260310101500", "yesterday");
        assertThat(((Hl7Request.Order) parser.parse(neither, StandardCharsets.US_ASCII)).order().writtenOn())
                .isNull();
    }

    @Test
    void aWeightInAnUnknownUnitIsNotGuessedAndDoesNotRefuseTheOrder() {
        String msg = "MSH|^~\\&|RIS|H|GW|H|20261125||ORM^O01|C9|P|2.3.1\rPID|1||P9||DOE^J\r"
                + "ORC|NW|PL9||||SC\rOBR|1|PL9||24590-2^MR Brain^LN\rOBX|1|NM|29463-7^Body weight^LN||11|st\r";
        OrderMessage o = ((Hl7Request.Order) parser.parse(msg, StandardCharsets.US_ASCII)).order();
        assertThat(weightKg(o)).isNull();
        assertThat(o.procedures().get(0).observations()).singleElement()
                .satisfies(x -> assertThat(x.units()).isEqualTo("st"));
    }

    @Test
    void structuredNumericValuesAreReadAsLabsSendThem() {
        // SN (HL7 2.A.71): comparator ^ number ^ separator ^ number; only the first component (empty or "<") was read
        String msg = "MSH|^~\\&|RIS|H|GW|H|20261125||ORM^O01|C9|P|2.5\rPID|1||P9||DOE^J||19600101|F\r"
                + "ORC|NW|PL9||||SC\rOBR|1|PL9||IRM-SEP^IRM SEP^L|||||||||||||||||||MR|||^^^202611260900\r"
                + "OBX|1|SN|62238-1^eGFR CKD-EPI^LN||^24|mL/min/{1.73_m2}\r"
                + "OBX|2|SN|62238-1^eGFR CKD-EPI^LN||<^30|mL/min/{1.73_m2}\r"
                + "OBX|3|SN|19080-1^hCG^LN||>=^1250|m[IU]/mL\r"
                + "OBX|4|SN|5000-0^JC virus Ab titer^LN||^1^:^128\r";
        OrderMessage o = ((Hl7Request.Order) parser.parse(msg, StandardCharsets.US_ASCII)).order();
        var obs = o.procedures().get(0).observations();
        assertThat(obs).extracting(Observation::value).containsExactly("24", "<30", ">=1250", "1:128");
        assertThat(obs.get(0).number().value()).isEqualByComparingTo("24");
        assertThat(obs.get(1).number().comparator()).isEqualTo(org.ofsep.mwl.core.order.ObservedNumber.Comparator.LT);
        assertThat(obs.get(2).number().comparator()).isEqualTo(org.ofsep.mwl.core.order.ObservedNumber.Comparator.GE);
        assertThat(obs.get(3).number()).isNull(); // a ratio is no single number
        // and the decision reads them: the eGFR of 24 (the lowest), the hCG
        var facts = FactExtractor.extract(SHIPPED, o, o.procedures().get(0), LocalDate.of(2026, 11, 26));
        assertThat(facts.egfr()).isEqualByComparingTo("24");
        assertThat(facts.pregnant()).isTrue();
    }

    @Test
    void aNumberUnderALocalCodeIsReadByItsName() {
        // local laboratory codes the mapping does not list: the JCV index sent as its own OBX gave no PML screening
        String msg = "MSH|^~\\&|RIS|H|GW|H|20261125||ORM^O01|C10|P|2.5\rPID|1||P10||DOE^J||19600101|F\r"
                + "ORC|NW|PL10||||SC\rOBR|1|PL10||IRM-SEP^IRM SEP^L|||||||||||||||||||MR|||^^^202611260900\r"
                + "OBX|1|NM|JCVI^Anti-JCV antibody index^L||2.1||||||F\r"
                + "OBX|2|NM|CREA^Créatinine sérique^L||250|umol/L|||||F\r";
        OrderMessage o = ((Hl7Request.Order) parser.parse(msg, StandardCharsets.UTF_8)).order();
        assertThat(o.procedures().get(0).observations()).extracting(Observation::label)
                .containsExactly("Anti-JCV antibody index", "Créatinine sérique");
        var facts = FactExtractor.extract(SHIPPED, o, o.procedures().get(0), LocalDate.of(2026, 11, 26));
        assertThat(facts.jcvIndex()).isEqualByComparingTo("2.1");
        assertThat(facts.facts()).anySatisfy(f -> {
            assertThat(f.name()).isEqualTo("jcvIndex");
            assertThat(f.source()).isEqualTo("OBX-5 L JCVI (Anti-JCV antibody index)");
        });
        // 250 umol/L for a woman of 66: CKD-EPI 2021 below 30
        assertThat(facts.egfr()).isLessThan(new BigDecimal("30"));
    }

    private static final String AL1_ORDER = "MSH|^~\\&|RIS|CHU|MWLGW|CHU|20261125083100||ORM^O01|MSG-AL1|P|2.5||||||UNICODE UTF-8\r"
            + "PID|1||PAT1^^^CHU^PI||LEROY^CLAIRE||19880304|F\r"
            + "PV1|1|O|IRM1\r"
            + "%s"
            + "ORC|NW|PLC1|FIL1||SC||^^^202611260900\r"
            + "OBR|1|PLC1|FIL1|IRM-SEP^IRM SEP^L||||||||||||||ACC1|RP1||IRM1|||MR|||^^^202611260900\r";

    @Test
    void al1SegmentsAreTheOrdersAllergies() {
        Hl7Request r = parser.parse(String.format(AL1_ORDER, "AL1|1|DA|^Pénicilline|MO|urticaire\r"
                + "AL1|2|DA|GADO^Gadolinium (Dotarem)|SV\rAL1|3|MA|LATEX\rAL1|4|DA\r"), StandardCharsets.UTF_8);
        OrderMessage o = ((Hl7Request.Order) r).order();
        assertThat(o.allergies()).extracting(org.ofsep.mwl.core.order.Allergy::allergen)
                .containsExactly("Pénicilline", "Gadolinium (Dotarem)", "LATEX");
        assertThat(o.allergies().get(1).code()).isEqualTo("GADO");
        assertThat(o.allergies().get(1).type()).isEqualTo("DA");
        assertThat(o.procedures().get(0).accessionNumber()).isEqualTo("ACC1"); // the fixture's OBR-18
    }

    /**
     * An allergen written at length (or with a backslash) is kept whole for the facts: it does not refuse the MRI
     * order (WorklistTexts.allergies makes the worklist's value fit, visibly).
     */
    @Test
    void anAllergenWrittenAtLengthDoesNotRefuseTheOrder() {
        String longText = "Amoxicilline/acide clavulanique (Augmentin) : eruption generalisee en 2019";
        OrderMessage o = ((Hl7Request.Order) parser.parse(String.format(AL1_ORDER, "AL1|1|DA|^" + longText
                + "\rAL1|2|DA|^iode\\E\\gado\r"), StandardCharsets.UTF_8)).order();
        assertThat(o.allergies()).extracting(org.ofsep.mwl.core.order.Allergy::allergen)
                .containsExactly(longText, "iode\\gado");
    }
}
