package org.ofsep.mwl.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ofsep.mwl.core.decision.OfsepDecisionEngine;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.PartialDate;
import org.ofsep.mwl.core.domain.RuleId;
import org.ofsep.mwl.core.mapping.MappingLoader;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.order.Observation;
import org.ofsep.mwl.core.order.ObservedNumber;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.ProcedureRequest;

/** OBX values as RIS send them, typed at the HL7 edge: the core receives dates and numbers, never HL7 text. */
class Hl7ObservationValuesTest {

    @ParameterizedTest(name = "{0} -> {1} ({2})")
    @CsvSource({"20250131, 2025-01-31, DAY", "202501311230, 2025-01-31, DAY", "20250131123000+0100, 2025-01-31, DAY",
            "2025-01-31, 2025-01-31, DAY", "202501, 2025-01-01, MONTH", "2025, 2025-01-01, YEAR",
            "' 20250131 ', 2025-01-31, DAY"})
    void hl7Dates(String value, LocalDate expected, PartialDate.Precision precision) {
        PartialDate d = Hl7Dates.observationDate(value);
        assertThat(d.date()).isEqualTo(expected);
        assertThat(d.precision()).isEqualTo(precision);
    }

    @ParameterizedTest
    @ValueSource(strings = {"31/01/2025", "yesterday", "2025013", "20251341", "", "Y"})
    void notDates(String value) {
        assertThat(Hl7Dates.observationDate(value)).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1} {2}, estimate {3}")
    @CsvSource(delimiter = '|', value = {"0.45|0.45|EQ|0.45", "0,45|0.45|EQ|0.45", " 1.5 |1.5|EQ|1.5",
            "<30|30|LT|29.999", ">90|90|GT|90.001", ">=30|30|GE|30", "<=30|30|LE|30", "1 250|1250|EQ|1250",
            "-2|-2|EQ|-2", "≤30|30|LE|30", "≥ 90|90|GE|90", "1 250|1250|EQ|1250", "1 250,5|1250.5|EQ|1250.5"})
    void numbers(String value, BigDecimal number, ObservedNumber.Comparator comparator, BigDecimal estimate) {
        ObservedNumber n = Hl7Numbers.observationNumber(value);
        assertThat(n.value()).isEqualByComparingTo(number);
        assertThat(n.comparator()).isEqualTo(comparator);
        assertThat(n.estimate()).isEqualByComparingTo(estimate);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "<", "", "12 kg", "POS", "2025-01-31"})
    void notNumbers(String value) {
        assertThat(Hl7Numbers.observationNumber(value)).isNull();
    }

    @Test
    void theParserHandsTheCoreTypedObservations() {
        String msg = "MSH|^~\\&|RIS|HOSP|MWL|HOSP|20260316080000||ORM^O01|M1|P|2.5.1\r"
                + "PID|||P1^^^HOSP||DUPRE^HELENE||19800517|F\r"
                + "ORC|NW|PL1\r"
                + "OBR|1|PL1||IRMSEP^IRM SEP^99RIS|||||||||||||ACC1|RP1|SPS1||||MR\r"
                + "OBX|1|NM|29463-7^Body weight^LN||72,5|kg\r"
                + "OBX|2|DT|PRIOR-MRI^^99OFSEP||202503\r"
                + "OBX|3|NM|62238-1^eGFR^LN||<30|mL/min/{1.73_m2}\r"
                + "OBX|4|CWE|PRIOR-MRI-3DFLAIR^^99OFSEP||Y\r";
        List<Observation> obs = ((Hl7Request.Order) new MessageParser().parse(msg, StandardCharsets.US_ASCII))
                .order().procedures().get(0).observations();
        assertThat(obs.get(0).number().value()).isEqualByComparingTo("72.5");
        assertThat(obs.get(0).units()).isEqualTo("kg");
        assertThat(obs.get(1).date()).isEqualTo(PartialDate.of(2025, 3, null));
        assertThat(obs.get(2).number().comparator()).isEqualTo(ObservedNumber.Comparator.LT);
        assertThat(obs.get(3).date()).isNull();
        assertThat(obs.get(3).number()).isNull();
        assertThat(obs.get(3).value()).isEqualTo("Y");
    }

    /** A JCV index with a French decimal comma, from HL7 text to the OFSEP decision (PML screening). */
    @Test
    void aJcvIndexWithADecimalCommaDecidesPmlScreening() {
        String msg = "MSH|^~\\&|RIS|HOSP|MWL|HOSP|20260316080000||ORM^O01|M2|P|2.5.1\r"
                + "PID|||P1^^^HOSP||DUPRE^HELENE||19800517|F\r"
                + "ORC|NW|PL2\r"
                + "OBR|1|PL2||IRMSEP^IRM SEP^99RIS|||||||||||||ACC2|RP2|SPS2||||MR\r"
                + "OBX|1|CWE|MS-CONTEXT^^99OFSEP||FOLLOW_UP\r"
                + "OBX|2|CWE|DMT^^99OFSEP||Natalizumab\r"
                + "OBX|3|DT|DMT-START^^99OFSEP||20230101\r"
                + "OBX|4|NM|JCV-INDEX^^99OFSEP||2,1\r"
                + "OBX|5|DT|PRIOR-MRI^^99OFSEP||20250316\r"
                + "OBX|6|ST|PRIOR-MRI-3DFLAIR^^99OFSEP||Y\r";
        OrderMessage order = ((Hl7Request.Order) new MessageParser().parse(msg, StandardCharsets.US_ASCII)).order();
        MappingSnapshot m = MappingLoader.load(Path.of("../config/mapping.yaml"));
        ProcedureRequest p = order.procedures().get(0);
        Decision d = new OfsepDecisionEngine().decide(m, order, p, m.stations().get(0), List.of(),
                LocalDate.of(2026, 3, 16));
        assertThat(d.rule()).isEqualTo(RuleId.PML_SCREENING);
        assertThat(d.examCard()).isEqualTo(ExamCard.PML_SHORT);
    }
}
