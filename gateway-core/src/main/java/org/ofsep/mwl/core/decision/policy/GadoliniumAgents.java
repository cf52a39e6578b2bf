package org.ofsep.mwl.core.decision.policy;

import org.ofsep.mwl.core.text.TextMatch;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * What the gateway knows about gadolinium-based contrast agents, so that a configuration can never select a
 * linear agent (proscribed by OFSEP 2020 after the EMA 2017 restrictions) or a wrong concentration (which
 * would double or halve the injected volume).
 */
public final class GadoliniumAgents {

    /** A known agent: its generic name, structure and concentration of its usual presentation. */
    public record Known(String generic, boolean macrocyclic, BigDecimal concentrationMmolPerMl, List<String> aliases) {
    }

    private static final List<Known> KNOWN = List.of(
            new Known("gadobutrol", true, new BigDecimal("1.0"), List.of("gadovist", "gadavist")),
            new Known("gadoterate", true, new BigDecimal("0.5"),
                    List.of("gadoteric acid", "acide gadoterique", "gadoterate meglumine", "dotarem", "clariscan")),
            new Known("gadoteridol", true, new BigDecimal("0.5"), List.of("prohance")),
            new Known("gadodiamide", false, new BigDecimal("0.5"), List.of("omniscan")),
            new Known("gadopentetate", false, new BigDecimal("0.5"),
                    List.of("gadopentetate dimeglumine", "gadopentetic acid", "magnevist")),
            new Known("gadobenate", false, new BigDecimal("0.5"),
                    List.of("gadobenate dimeglumine", "gadobenic acid", "multihance")),
            new Known("gadoxetate", false, new BigDecimal("0.25"),
                    List.of("gadoxetate disodium", "gadoxetic acid", "primovist", "eovist")),
            new Known("gadoversetamide", false, new BigDecimal("0.5"), List.of("optimark")),
            new Known("gadofosveset", false, new BigDecimal("0.25"), List.of("ablavar", "vasovist")));

    private GadoliniumAgents() {
    }

    /** The known agent this configured name designates (generic or brand, case and accents ignored). */
    public static Optional<Known> identify(String name) {
        String n = TextMatch.normalize(name);
        for (Known k : KNOWN) {
            if (n.equals(k.generic()) || k.aliases().contains(n)) {
                return Optional.of(k);
            }
        }
        // "gadodiamide 0.5 mmol/mL" or similar: a known generic name anywhere is enough to classify it
        for (Known k : KNOWN) {
            if (TextMatch.containsWord(n, k.generic())) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
