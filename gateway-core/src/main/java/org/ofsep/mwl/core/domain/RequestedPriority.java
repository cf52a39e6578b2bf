package org.ofsep.mwl.core.domain;

/**
 * Requested Procedure Priority (0040,1003), the urgency of the requested procedure as the RIS ordered it: the DICOM
 * defined terms (PS3.3 Requested Procedure module: STAT, HIGH, ROUTINE, MEDIUM, LOW) that an HL7 order priority
 * maps to. MEDIUM and LOW have no HL7 priority code that means them, so the gateway never sets them. The name is
 * the value the worklist sends and the store keeps. A step without one (no priority in the order, or a code that
 * maps to none of these) has none: the worklist returns the attribute empty.
 */
public enum RequestedPriority {
    STAT, HIGH, ROUTINE
}
