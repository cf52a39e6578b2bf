package org.ofsep.mwl.core.order;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 16 #1: free text is cut at a word boundary, marked, within DICOM LO. */
class FreeTextTest {

    @Test
    void cutAtAWordBoundaryWithAMark() {
        String reason = "Suivi annuel de sclerose en plaques recurrente-remittente sous natalizumab, JCV positif";
        String cut = FreeText.cut(reason, 64);
        assertThat(cut).hasSizeLessThanOrEqualTo(64).endsWith("...")
                .isEqualTo("Suivi annuel de sclerose en plaques recurrente-remittente...");
        assertThat(reason).startsWith(cut.substring(0, cut.length() - 3));
        assertThat(FreeText.cut("short text", 64)).isEqualTo("short text");
        String oneWord = "x".repeat(100);
        assertThat(FreeText.cut(oneWord, 64)).hasSize(64).endsWith("...");
        assertThat(FreeText.cut("IRM encéphalique et médullaire complète, protocole OFSEP, suivi, injection", 64))
                .isEqualTo("IRM encéphalique et médullaire complète, protocole OFSEP...");
    }
}
