package org.ofsep.mwl.core.priors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the PACS returned, kept or set aside with why ({@code gateway priors} prints it). */
class PriorAnswerTest {
    private static final LocalDate D = LocalDate.of(2025, 3, 1);

    private static PriorStudy study(String uid, String patientId, String issuer, String... modalities) {
        return new PriorStudy(uid, D, "IRM", patientId, issuer, List.of(modalities), List.of(), null, List.of());
    }

    @Test
    void eachReturnedStudyIsKeptOrSetAsideWithWhy() {
        PriorQuery q = new PriorQuery("PAT17", "CHU", D.minusYears(6), D);
        PriorStudy mine = study("1", "PAT17", "CHU", "MR");
        PriorStudy noIssuer = study("2", "PAT17", null);
        PriorStudy otherIssuer = study("3", "PAT17", "OTHERHOSP", "MR");
        PriorStudy otherPatient = study("4", "PAT170", "CHU", "MR");
        PriorStudy noPatientId = study("5", null, "CHU", "MR");
        PriorStudy ct = study("6", "PAT17", "CHU", "CT", "SR");
        PriorAnswer a = PriorAnswer.of(q, List.of(mine, noIssuer, otherIssuer, otherPatient, noPatientId, ct));
        assertThat(a.studies()).containsExactly(mine, noIssuer);
        assertThat(a.setAside()).extracting(PriorAnswer.SetAside::reason).containsExactly(
                PriorAnswer.Reason.OTHER_ISSUER, PriorAnswer.Reason.OTHER_PATIENT_ID,
                PriorAnswer.Reason.OTHER_PATIENT_ID, PriorAnswer.Reason.NOT_MR);
        assertThat(a.returned()).isEqualTo(6);
        assertThat(a.issuers(PriorAnswer.Reason.OTHER_ISSUER)).containsExactly("OTHERHOSP");
        assertThat(a.unambiguous(q)).isSameAs(a); // the order names its issuer: nothing more set aside
    }

    @Test
    void withoutAnIssuerTheStudiesOfSeveralIssuersAreSetAside() {
        PriorQuery q = new PriorQuery("PAT17", null, D.minusYears(6), D);
        PriorStudy chu = study("1", "PAT17", "CHU", "MR");
        PriorStudy other = study("2", "PAT17", "otherhosp", "MR");
        PriorStudy none = study("3", "PAT17", null, "MR");
        PriorAnswer a = PriorAnswer.of(q, List.of(chu, other, none)).unambiguous(q);
        assertThat(a.studies()).containsExactly(none);
        assertThat(a.setAside()).extracting(PriorAnswer.SetAside::study).containsExactly(chu, other);
        assertThat(a.setAside()).extracting(PriorAnswer.SetAside::reason)
                .containsOnly(PriorAnswer.Reason.SEVERAL_ISSUERS);
        assertThat(a.issuers(PriorAnswer.Reason.SEVERAL_ISSUERS)).containsExactly("CHU", "OTHERHOSP");
        assertThat(a.returned()).isEqualTo(3);
        // a single issuer: its studies are used
        PriorAnswer single = PriorAnswer.of(q, List.of(chu, none)).unambiguous(q);
        assertThat(single.studies()).containsExactly(chu, none);
        assertThat(single.setAside()).isEmpty();
    }
}
