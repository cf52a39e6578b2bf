package org.ofsep.mwl.core.domain;

/** A coded entry (Code Value, Coding Scheme Designator, Code Meaning) as in a DICOM code sequence item. */
public record ProtocolCode(String value, String scheme, String meaning) {
}
