package org.ofsep.mwl.dicom.mpps;

import java.util.List;

/**
 * Why an N-CREATE or N-SET of an MPPS instance is refused, as the DIMSE response must say it (PS3.4 F.7.2.1.2 and
 * F.7.2.2.2, PS3.7 Annex C): the status, the attributes concerned (for Attribute Identifier List (0000,1005)) and a
 * comment for Error Comment (0000,0902).
 *
 * @param status  DIMSE status, see the constants
 * @param tags    the attributes concerned, possibly empty
 * @param comment short explanation, at most 64 characters (LO); no patient data
 */
public record MppsFailure(int status, List<Integer> tags, String comment) {

    /** Missing Attribute: a required attribute is absent. */
    public static final int MISSING_ATTRIBUTE = 0x0120;
    /** Missing Attribute Value: a type 1 attribute is present without a value. */
    public static final int MISSING_ATTRIBUTE_VALUE = 0x0121;
    /** Invalid Attribute Value: e.g. a status other than IN PROGRESS on N-CREATE, or a change not allowed by N-SET. */
    public static final int INVALID_ATTRIBUTE_VALUE = 0x0106;
    /** Processing Failure: e.g. an N-SET on an instance that is no longer IN PROGRESS. */
    public static final int PROCESSING_FAILURE = 0x0110;
    /** Duplicate SOP Instance: N-CREATE of an instance that already exists. */
    public static final int DUPLICATE_SOP_INSTANCE = 0x0111;
    /** No Such Object Instance: N-SET of an unknown instance. */
    public static final int NO_SUCH_OBJECT_INSTANCE = 0x0112;

    public MppsFailure {
        tags = tags == null ? List.of() : List.copyOf(tags);
        if (comment != null && comment.length() > 64) {
            comment = comment.substring(0, 64);
        }
    }

    /** The tags as an int array, for Attributes.setInt(Tag.AttributeIdentifierList, VR.AT, ...). */
    public int[] tagArray() {
        return tags.stream().mapToInt(Integer::intValue).toArray();
    }
}
