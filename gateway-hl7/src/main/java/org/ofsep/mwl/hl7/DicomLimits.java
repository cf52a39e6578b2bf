package org.ofsep.mwl.hl7;

import org.ofsep.mwl.core.domain.ProtocolCode;

/**
 * HL7 values that land in a DICOM attribute whose VR has a maximum length (PS3.5 Table 6.2-1): identifiers and
 * codes (SH, CS, AE: 16 characters; LO: 64; PN: 64 per component group) are refused when they do not fit, with AE
 * and ERR 102 naming the field, never cut: two accession numbers cut to the same 16 characters would be two
 * patients' exams under one number. Messages give lengths, never the values (they may identify a patient).
 */
final class DicomLimits {

    static final int SH = 16;
    static final int LO = 64;
    static final int PN_GROUP = 64;

    private DicomLimits() {
    }

    /** An SH, CS or AE value (16 characters at most). */
    static void shortString(String value, String location, String attribute) {
        max(value, SH, location, attribute, "SH/CS/AE");
    }

    /** An LO value (64 characters at most, no backslash: it separates the values of a multi-valued LO). */
    static void longString(String value, String location, String attribute) {
        max(value, LO, location, attribute, "LO");
        if (value != null && value.indexOf('\\') >= 0) {
            throw Hl7MessageException.badValue(location, attribute + " contains a backslash, which DICOM LO"
                    + " uses between values: refused rather than changed");
        }
    }

    /** A person name: each component group (alphabetic, ideographic, phonetic) at most 64 characters. */
    static void personName(String value, String location, String attribute) {
        if (value == null) {
            return;
        }
        for (String group : value.split("=", -1)) {
            if (group.codePointCount(0, group.length()) > PN_GROUP) {
                throw Hl7MessageException.badValue(location, attribute + " is " + group.codePointCount(0,
                        group.length()) + " characters long; DICOM PN holds at most " + PN_GROUP
                        + ": refused rather than cut");
            }
        }
    }

    /** OBR-4: the coding scheme is SH; a code value over 16 goes to Long Code Value (UC, kept under LO's 64). */
    static void code(ProtocolCode code) {
        if (code == null) {
            return;
        }
        String where = "OBR-4";
        max(code.value(), LO, where + ".1", "Code Value / Long Code Value of the requested procedure", "LO/UC");
        max(code.scheme(), SH, where + ".3", "Coding Scheme Designator (0008,0102) of the requested procedure",
                "SH");
    }

    private static void max(String value, int max, String location, String attribute, String vr) {
        if (value == null) {
            return;
        }
        String v = value.strip();
        int length = v.codePointCount(0, v.length());
        if (length > max) {
            throw Hl7MessageException.badValue(location, attribute + " is " + length + " characters long; DICOM "
                    + vr + " holds at most " + max + ": refused rather than cut");
        }
    }
}
