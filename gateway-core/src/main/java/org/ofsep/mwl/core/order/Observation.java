package org.ofsep.mwl.core.order;

/**
 * One OBX of an order, kept as text so the decision engine can read any configured code.
 *
 * @param code       OBX-3.1 identifier (e.g. "MS-CONTEXT", "29463-7")
 * @param system     OBX-3.3 coding system (e.g. "99OFSEP", "LN")
 * @param valueType  OBX-2 (CE, CWE, DT, NM, ST, ...)
 * @param value      OBX-5 first component (for CE/CWE the code), unescaped
 * @param units      OBX-6.1, may be null
 */
public record Observation(String code, String system, String valueType, String value, String units) {
}
