package org.ofsep.mwl.core.domain;

/**
 * The Gd dose for one injection: 0.1 mmol/kg of a macrocyclic agent.
 *
 * @param agent  agent name as configured (e.g. "gadobutrol")
 * @param mmol   total dose in mmol
 * @param ml     volume in mL from the agent's concentration
 */
public record ContrastDose(String agent, double mmol, double ml) {
}
