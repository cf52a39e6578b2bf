package org.ofsep.mwl.core.facts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a text is cut into clauses, and the bounded word search the reader uses. */
class TextsTest {

    @Test
    void aRunLongerThanAClauseIsReadInPartsCutAtSpaces() {
        String word = "stable ";
        String text = word.repeat(Texts.MAX_CLAUSE / 7 * 7).trim(); // 7 times the limit, no line, ";" or sentence end
        List<int[]> clauses = Texts.clauses(text);
        assertThat(clauses).hasSizeGreaterThan(6);
        int covered = 0;
        int previousEnd = 0;
        for (int[] c : clauses) {
            assertThat(c[1] - c[0]).isLessThanOrEqualTo(Texts.MAX_CLAUSE);
            assertThat(c).hasSize(3); // each part marked as a part of a cut run
            assertThat(text.substring(previousEnd, c[0])).isBlank(); // nothing left out but the spaces cut at
            assertThat(text.charAt(c[0])).isEqualTo('s'); // cut between words, never inside one
            assertThat(text.charAt(c[1] - 1)).isEqualTo('e');
            covered += c[1] - c[0];
            previousEnd = c[1];
        }
        assertThat(previousEnd).isEqualTo(text.length());
        assertThat(covered).isEqualTo(text.length() - (clauses.size() - 1));
    }

    @Test
    void aLongListIsCutAfterOneOfItsCommas() {
        String text = "examen sans changement, ".repeat(Texts.MAX_CLAUSE / 10).trim();
        for (int[] c : Texts.clauses(text)) {
            assertThat(c[1] - c[0]).isLessThanOrEqualTo(Texts.MAX_CLAUSE);
            assertThat(text.substring(c[0], c[1])).startsWith("examen").endsWith("changement,");
        }
    }

    @Test
    void aRunWithoutSpacesIsCutAtTheLimit() {
        String text = "x".repeat(Texts.MAX_CLAUSE * 2 + 500);
        assertThat(Texts.clauses(text)).extracting(c -> c[1] - c[0])
                .containsExactly(Texts.MAX_CLAUSE, Texts.MAX_CLAUSE, 500);
    }

    @Test
    void clausesOfOrdinaryLengthAreUnchanged() {
        String sentence = "SEP RR sous Tysabri depuis 01/2023, JCV positif index 1,8, " + "clinique stable ".repeat(1200);
        assertThat(sentence.length()).isLessThan(Texts.MAX_CLAUSE);
        assertThat(Texts.clauses(sentence)).hasSize(1).allSatisfy(c -> assertThat(c).hasSize(2)); // not marked
    }

    @Test
    void containsLooksOnlyBetweenItsBounds() {
        String s = "depuis 2021, grossesse";
        assertThat(Texts.contains(s, "grossesse", 0, s.length())).isTrue();
        assertThat(Texts.contains(s, "grossesse", 0, s.length() - 1)).isFalse(); // would end past the bound
        assertThat(Texts.contains(s, "depuis", 1, s.length())).isFalse(); // starts before the bound
        assertThat(Texts.contains(s, "depuis", 0, 6)).isTrue();
        assertThat(Texts.contains(s, "x", 5, 3)).isFalse();
        assertThat(Texts.contains(s, "grossesse", 0, 1000)).isTrue();
    }
}
