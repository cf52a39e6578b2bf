package org.ofsep.mwl.core.priors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which studies the PACS returned can be the order's patient's. */
class PriorQueryTest {
    private static final LocalDate D = LocalDate.of(2026, 4, 6);

    private static PriorStudy study(String uid, String issuer) {
        return new PriorStudy(uid, D, "IRM", "PAT17", issuer, List.of("MR"), List.of(), null, List.of());
    }

    @Test
    void withoutTheOrdersIssuerStudiesOfSeveralIssuersAreNotMerged() {
        // two hospitals' patients share PAT17; the order names no issuer: another hospital's 3D FLAIR took the Gd away
        PriorQuery q = new PriorQuery("PAT17", null, D.minusYears(5), D);
        List<PriorStudy> both = List.of(study("1", "CHU"), study("2", "OTHERHOSP"), study("3", null));
        assertThat(q.unambiguous(both)).extracting(PriorStudy::studyInstanceUid).containsExactly("3");
        List<PriorStudy> one = List.of(study("1", "CHU"), study("2", "chu "), study("3", null));
        assertThat(q.unambiguous(one)).hasSize(3);
        PriorQuery withIssuer = new PriorQuery("PAT17", "CHU", D.minusYears(5), D);
        assertThat(withIssuer.unambiguous(both)).hasSize(3); // the sources already dropped the other issuer's
    }
}
