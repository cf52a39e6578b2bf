package org.ofsep.mwl.core.facts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ofsep.mwl.core.domain.Fact;
import org.ofsep.mwl.core.mapping.MappingLoader;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.mapping.ShippedMapping;
import org.ofsep.mwl.core.order.Allergy;

/** An allergy to gadolinium, from AL1 and from the French and English clinical text; denials and iodine are not. */
class GdAllergyFactsTest {

    private static List<Fact> gd(ClinicalFacts f) {
        return f.facts().stream().filter(x -> x.name().equals("gdAllergy")).toList();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "Allergie au gadolinium",
            "SEP RR sous Ocrevus. Allergie aux produits de contraste gadolinés.",
            "ATCD : réaction allergique au Dotarem en 2021 (urticaire)",
            "Patient allergic to gadolinium",
            "Previous reaction to gadolinium contrast during MRI in 2019",
            "Allergies : pénicilline, gadolinium",
            "allergie à l'iode et au gadolinium",
            "Gadolinium allergy",
            "Dotarem : réaction allergique en 2022",
            "urticaire généralisée après injection de Clariscan",
            "choc anaphylactique sous gadobutrol (Gadovist) en 2018",
            "hypersensibilité au gadotérate de méglumine",
            "adverse reaction to ProHance 2020",
            "allergie connue au Gd",
            "Réaction allergique immédiate aux chélates de gadolinium",
            "Antécédent de choc anaphylactique lors d'une IRM injectée au gadolinium en 2022",
            "allergique à la pénicilline, au Dotarem",
            "allergic to penicillin, and to gadolinium"})
    void aStatedAllergyToGadoliniumIsAFact(String text) {
        ClinicalFacts f = FactsFixture.text(text).read();
        assertThat(gd(f)).singleElement().satisfies(x -> {
            assertThat(x.value()).isEqualTo("gadolinium");
            assertThat(x.source()).isEqualTo("OBR-13");
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "pas d'allergie connue",
            "Aucune allergie. IRM avec gadolinium si poussée",
            "no known allergies",
            "NKDA",
            "pas d'allergie au gadolinium",
            "Pas d'allergie connue, IRM avec gadolinium",
            "no allergy to gadolinium",
            "Allergie au gadolinium : non",
            "allergie à l'iode",
            "Allergie aux produits de contraste iodés (scanner 2019)",
            "allergie iode, IRM injectée au gadolinium en 2023 bien tolérée",
            "Allergy to iodinated contrast; gadolinium given in 2022 without reaction",
            "allergie à la pénicilline. Gadolinium bien toléré en 2024",
            "no previous reaction to gadolinium",
            "allergie à l'iode mais pas au gadolinium",
            "IRM cérébrale avec gadolinium, pas de réaction",
            "Allergie pénicilline - IRM avec Gd",
            "allergie aux acariens, IRM avec gadolinium"})
    void aDenialOrAnIodineAllergyIsNot(String text) {
        assertThat(gd(FactsFixture.text(text).read())).isEmpty();
    }

    @Test
    void anNteCommentIsRead() {
        FactsFixture x = new FactsFixture();
        x.nte.add("Réaction allergique au Dotarem en 2021");
        assertThat(gd(x.read())).singleElement().extracting(Fact::source).isEqualTo("NTE-3");
    }

    @ParameterizedTest(name = "{0}^{1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "-|GADOLINIUM",
            "-|Dotarem",
            "-|Gadolinium-based contrast agents",
            "-|Produit de contraste gadoliné",
            "-|Gadobutrol",
            "-|Elucirem",
            "-|gadopiclenol",
            "-|Primovist",
            "-|Omniscan",
            "-|MultiHance",
            "-|acide gadotérique",
            "1546356|gadoterate meglumine",
            "GADO|-"})
    void anAl1AllergenNamingGadoliniumIsTheGdAllergy(String code, String text) {
        FactsFixture x = FactsFixture.text(null);
        x.al1.add(new Allergy("DA", code, text));
        ClinicalFacts f = x.read();
        String allergen = text != null ? text : code;
        assertThat(gd(f)).singleElement().satisfies(g -> {
            assertThat(g.value()).isEqualTo(allergen);
            assertThat(g.source()).isEqualTo("AL1-3");
        });
    }

    @Test
    void otherAl1AllergensAreAllergiesNotAGdAllergy() {
        FactsFixture x = FactsFixture.text(null);
        x.al1.add(new Allergy("DA", "PCN", "Pénicilline"));
        x.al1.add(new Allergy("DA", "IOD", "Produits de contraste iodés"));
        x.al1.add(new Allergy("DA", null, "NKA"));
        ClinicalFacts f = x.read();
        assertThat(gd(f)).isEmpty();
        assertThat(f.facts()).filteredOn(g -> g.name().equals("allergy")).extracting(Fact::value)
                .containsExactly("Pénicilline", "Produits de contraste iodés");
    }

    @Test
    void al1AndTextTogetherKeepBothInTheTrace() {
        FactsFixture x = FactsFixture.text("allergie au gadolinium (urticaire 2021)");
        x.al1.add(new Allergy("DA", null, "DOTAREM"));
        List<Fact> g = gd(x.read());
        assertThat(g).extracting(Fact::source).containsExactly("AL1-3", "OBR-13");
        assertThat(g).extracting(Fact::value).containsExactly("DOTAREM", "gadolinium");
    }

    @Test
    void theMappingAddsPhrases() {
        String text = "ne supporte pas le Dotarem";
        assertThat(gd(FactsFixture.text(text).read())).isEmpty();
        MappingSnapshot m = MappingLoader.parse(ShippedMapping.edit("gdAllergyYes: []", "gdAllergyYes: [\"ne supporte pas le Dotarem\"]")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), "m.yaml");
        org.ofsep.mwl.core.order.ProcedureRequest p = new org.ofsep.mwl.core.order.ProcedureRequest("ACC1", null,
                new org.ofsep.mwl.core.domain.ProtocolCode("IRMSEP", "99RIS", "IRM SEP"),
                FactsFixture.EXAM.atTime(9, 0), "MR", null, text, null, null, null, null, List.of(), List.of());
        org.ofsep.mwl.core.order.OrderMessage o = new org.ofsep.mwl.core.order.OrderMessage("M1", "RIS", "NW", null,
                "PL1", null, new org.ofsep.mwl.core.domain.Patient("P1", null, "X^Y", null, "F"), List.of(), null,
                List.of(p));
        assertThat(gd(FactExtractor.extract(m, o, p, FactsFixture.EXAM))).hasSize(1);
    }
}
