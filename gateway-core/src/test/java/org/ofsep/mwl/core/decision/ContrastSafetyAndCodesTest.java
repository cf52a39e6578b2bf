package org.ofsep.mwl.core.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.ofsep.mwl.core.decision.EngineHarness.decide;
import static org.ofsep.mwl.core.decision.OrderFixture.EXAM;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.domain.Vendor;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.order.OrderRejectedException;
import org.ofsep.mwl.core.order.TypedObx;

/** Dose arithmetic, safety alerts, station eligibility, spine and protocol codes. */
class ContrastSafetyAndCodesTest {

    @ParameterizedTest(name = "{0} for {1} kg -> {2} mmol, {3} mL")
    @CsvSource({
            "gadobutrol, 70, 7.0, 7.0",
            "gadoterate, 70, 7.0, 14.0",
            "gadoteridol, 70, 7.0, 14.0",
            "gadobutrol, 72.5, 7.25, 7.3",
            "gadoterate, 72.5, 7.25, 14.5",
            "gadoteridol, 63.3, 6.33, 12.7",
            "gadobutrol, 63.3, 6.33, 6.3",
            "gadobutrol, 104.6, 10.46, 10.5",
            "gadoterate, 48.26, 4.83, 9.7"})
    void doseIsPointOneMmolPerKgAndVolumeFollowsTheConcentration(String agent, double kg, double mmol, double ml) {
        MappingSnapshot m = EngineHarness.edited("selectedAgent: gadobutrol", "selectedAgent: " + agent);
        OrderFixture f = new OrderFixture().context("DIAGNOSIS");
        f.weightKg = kg;
        Decision d = EngineHarness.decide(m, f);
        assertThat(d.contrastDose()).isNotNull();
        assertThat(d.contrastDose().agent()).isEqualTo(agent);
        assertThat(d.contrastDose().mmol()).isEqualTo(mmol);
        assertThat(d.contrastDose().ml()).isEqualTo(ml);
        assertThat(d.alerts()).isEmpty();
    }

    @Test
    void noWeightMeansNoDoseAndAnAlert() {
        OrderFixture f = new OrderFixture().context("DIAGNOSIS");
        f.weightKg = null;
        Decision d = decide(f);
        assertThat(d.contrast()).isTrue();
        assertThat(d.contrastDose()).isNull();
        assertThat(d.alerts()).containsExactly("Gd: no patient weight, dose not computed");
    }

    @ParameterizedTest(name = "weight {0} kg -> no dose")
    @CsvSource({"0.7", "2.9", "350.1", "70000"})
    void implausibleWeightGivesNoDoseAndAnAlert(double kg) {
        OrderFixture f = new OrderFixture().context("DIAGNOSIS");
        f.weightKg = kg;
        Decision d = decide(f);
        assertThat(d.contrastDose()).isNull();
        assertThat(d.alerts()).singleElement().asString().startsWith("Gd: implausible weight");
    }

    @Test
    void weightFromTheObxWhenTheOrderHasNone() {
        OrderFixture f = new OrderFixture().context("DIAGNOSIS");
        f.weightKg = null;
        f.obx.add(TypedObx.of("29463-7", "LN", "NM", "80", "kg"));
        assertThat(decide(f).contrastDose().ml()).isEqualTo(8.0);
    }

    @Test
    void noWeightWithoutContrastIsNoAlert() {
        OrderFixture f = new OrderFixture();
        f.weightKg = null;
        assertThat(decide(f).alerts()).isEmpty();
    }

    @ParameterizedTest(name = "eGFR {0}, context {1} -> alert: {2}")
    @CsvSource({
            "25, DIAGNOSIS, true",
            "29.9, DIAGNOSIS, true",
            "30, DIAGNOSIS, false",
            "<30, DIAGNOSIS, true",
            ">60, DIAGNOSIS, false",
            "25, FOLLOW_UP, false"})
    void renalImpairmentAlertOnlyWithContrast(String egfr, String context, boolean alert) {
        Decision d = decide(new OrderFixture().context(context).obx("EGFR", "NM", egfr));
        assertThat(d.alerts().stream().anyMatch(a -> a.contains("eGFR"))).isEqualTo(alert);
    }

    @ParameterizedTest(name = "PREGNANT={0}, context {1} -> alert: {2}")
    @CsvSource({"Y, NEW_DMT, true", "N, NEW_DMT, false", "Y, FOLLOW_UP, false"})
    void pregnancyAlertOnlyWithContrast(String pregnant, String context, boolean alert) {
        Decision d = decide(new OrderFixture().context(context).obx("PREGNANT", "ST", pregnant));
        assertThat(d.alerts().contains("Gd in pregnancy: radiologist to confirm")).isEqualTo(alert);
    }

    @ParameterizedTest(name = "context {0}, AL1 {1}, text {2} -> alert: {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "DIAGNOSIS|GADOLINIUM|-|true",
            "DIAGNOSIS|-|Allergie au gadolinium (urticaire 2021)|true",
            "NEW_DMT|Dotarem|-|true",
            "DIAGNOSIS|Pénicilline|-|false",
            "DIAGNOSIS|-|Allergie aux produits de contraste iodés|false",
            "DIAGNOSIS|-|Pas d'allergie au gadolinium|false",
            "FOLLOW_UP|GADOLINIUM|-|false"})
    void gdAllergyAlertOnlyWithContrast(String context, String al1, String text, boolean alert) {
        OrderFixture f = new OrderFixture().context(context);
        if (al1 != null) {
            f.allergies.add(new org.ofsep.mwl.core.order.Allergy("DA", null, al1));
        }
        f.clinicalInfo = text;
        Decision d = decide(f);
        assertThat(d.alerts().contains("Gd with a gadolinium allergy: radiologist to confirm")).isEqualTo(alert);
        assertThat(d.gdAllergy()).isEqualTo(al1 != null && !al1.startsWith("P") || text != null && text.startsWith("Allergie au gadolinium"));
        if (d.gdAllergy()) {
            // without Gd in the decision too, the fact is in the reasons
            assertThat(d.reasons()).anyMatch(r -> r.startsWith("Fact: allergy to gadolinium"));
            assertThat(d.allergies()).containsExactly(al1 != null ? al1 : "gadolinium");
        }
    }

    @Test
    void aNonMsOrderKeepsItsAllergiesForTheWorklist() {
        OrderFixture f = new OrderFixture();
        f.diagnosisCodes.clear();
        f.code = new ProtocolCode("IRMGENOU", "99RIS", "IRM genou");
        f.allergies.add(new org.ofsep.mwl.core.order.Allergy("DA", null, "Gadovist"));
        f.allergies.add(new org.ofsep.mwl.core.order.Allergy("FA", null, "Arachide"));
        Decision d = decide(f);
        assertThat(d.ofsep()).isFalse();
        assertThat(d.allergies()).containsExactly("Gadovist", "Arachide");
        assertThat(d.alerts()).isEmpty();
    }

    @Test
    void alertsFitInAMedicalAlertsValue() {
        OrderFixture f = new OrderFixture().context("DIAGNOSIS").obx("EGFR", "NM", "12").obx("PREGNANT", "ST", "Y");
        f.weightKg = null;
        f.allergies.add(new org.ofsep.mwl.core.order.Allergy("DA", null, "GADOLINIUM"));
        Decision d = decide(f);
        assertThat(d.alerts()).hasSize(4).allSatisfy(a -> assertThat(a.length()).isLessThanOrEqualTo(64));
    }

    @Test
    void aStationBelowOneAndAHalfTeslaRefusesAnMsOrder() {
        Station weak = new Station("IRM 0", "MR_LOWFIELD", Vendor.CANON, "Vantage Elan", 1.0, "MR", null, false);
        OrderFixture f = new OrderFixture();
        OrderRejectedException e = catchThrowableOfType(OrderRejectedException.class, () -> EngineHarness.ENGINE
                .decide(EngineHarness.SHIPPED, f.order(), f.procedure(), weak, List.of(), EXAM));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("MR_LOWFIELD").contains("1.0 T").contains("below 1.5 T");
        assertThat(e.reject()).isFalse();
    }

    @Test
    void aStationBelowOneAndAHalfTeslaStillTakesNonMsOrders() {
        Station weak = new Station("IRM 0", "MR_LOWFIELD", Vendor.CANON, "Vantage Elan", 1.0, "MR", null, false);
        OrderFixture f = OrderFixture.bare();
        f.code = OrderFixture.MR_KNEE;
        Decision d = EngineHarness.ENGINE.decide(EngineHarness.SHIPPED, f.order(), f.procedure(), weak, List.of(), EXAM);
        assertThat(d.ofsep()).isFalse();
    }

    @Test
    void spineOnlyOrderGetsTheSpineCardOnly() {
        OrderFixture f = new OrderFixture();
        f.code = OrderFixture.MR_SPINE;
        f.reason = "SEP";
        Decision d = decide(f);
        assertThat(d.ofsep()).isTrue();
        assertThat(d.examCard()).isNull();
        assertThat(d.spine()).isTrue();
        assertThat(d.contrast()).isFalse();
        assertThat(d.defaultCodes()).extracting(ProtocolCode::value).containsExactly("OFSEP-SPINE");
    }

    @Test
    void brainAndSpineOrderWithContrastCarriesBothGdCodes() {
        MappingSnapshot m = EngineHarness.edited("    IRMSEP: BRAIN\n", "    IRMSEP: BRAIN_AND_SPINE\n");
        Decision d = EngineHarness.decide(m, new OrderFixture().context("NEW_DMT"));
        assertThat(d.spine()).isTrue();
        assertThat(d.defaultCodes()).extracting(ProtocolCode::value).containsExactly("OFSEP-FULL-GD", "OFSEP-SPINE-GD");
        assertThat(d.codesFor(Vendor.SIEMENS)).extracting(ProtocolCode::value)
                .containsExactly("OFSEP_FULL_GD", "OFSEP_SPINE_GD", "OFSEP-FULL-GD", "OFSEP-SPINE-GD");
    }

    @ParameterizedTest(name = "last spine MRI {0} -> due: {1}")
    @CsvSource({"P4Y, true", "P3Y1D, true", "P3Y, false", "P2Y, false", "none, true"})
    void spineDueWhenOverThreeYearsOrUnknown(String ago, boolean due) {
        OrderFixture f = new OrderFixture().without("LAST-SPINE-MRI");
        if (!ago.equals("none")) {
            java.time.Period p = java.time.Period.parse(ago.replace("Y1D", "Y"));
            java.time.LocalDate d = EXAM.minus(p);
            if (ago.endsWith("1D")) {
                d = d.minusDays(1);
            }
            f.obx("LAST-SPINE-MRI", "DT", d);
        }
        Decision d = decide(f);
        assertThat(d.spineDue()).isEqualTo(due);
        assertThat(d.reasons().stream().anyMatch(r -> r.contains("entire spine"))).isEqualTo(due);
    }

    @Test
    void spineInHistoryCounts() {
        OrderFixture f = new OrderFixture().without("LAST-SPINE-MRI");
        f.history.add(new PriorExam("P1", EXAM.minusYears(1), ExamCard.FULL, true, 7.0, true, "A1"));
        assertThat(decide(f).spineDue()).isFalse();
    }

    @Test
    void vendorCodesGoFirstForTheirVendorAndTheDefaultCodeIsAlwaysThere() {
        Decision d = decide(new OrderFixture());
        assertThat(d.defaultCodes()).containsExactly(
                new ProtocolCode("OFSEP-ROUTINE", "99OFSEP", "OFSEP follow-up protocol without gadolinium"));
        for (Vendor v : Vendor.values()) {
            assertThat(d.codesFor(v)).hasSize(2);
            assertThat(d.codesFor(v).get(1).value()).isEqualTo("OFSEP-ROUTINE");
        }
        assertThat(d.codesFor(Vendor.PHILIPS).get(0))
                .isEqualTo(new ProtocolCode("OFSEP_ROUTINE", "99PHILIPS", "ExamCard OFSEP Routine"));
        assertThat(d.codesFor(Vendor.GE).get(0).value()).isEqualTo("OFSEPROUTINE");
    }

    @Test
    void vendorWithoutOverrideGetsTheDefaultCodeOnly() {
        MappingSnapshot m = EngineHarness.edited(
                "      CANON: { value: OFSEP-ROUTINE, scheme: 99CANON, meaning: \"Exam plan OFSEP Routine\" }\n", "");
        Decision d = EngineHarness.decide(m, new OrderFixture());
        assertThat(d.codesFor(Vendor.CANON)).extracting(ProtocolCode::value).containsExactly("OFSEP-ROUTINE");
    }
}
