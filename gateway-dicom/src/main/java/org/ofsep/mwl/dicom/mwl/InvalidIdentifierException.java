package org.ofsep.mwl.dicom.mwl;

import org.ofsep.mwl.dicom.data.Tag;

/**
 * A C-FIND identifier the SCP cannot run: a malformed matching key (e.g. a date range "2026-11-25"). The SCP answers
 * 0xA900 (Identifier does not match SOP Class) with the offending element and this message as error comment.
 */
public class InvalidIdentifierException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int tag;

    public InvalidIdentifierException(int tag, String message) {
        super(message + " " + Tag.toString(tag));
        this.tag = tag;
    }

    /** The offending element, for (0000,0901) Offending Element. */
    public int tag() {
        return tag;
    }
}
