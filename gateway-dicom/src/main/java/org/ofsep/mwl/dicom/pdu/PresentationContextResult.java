package org.ofsep.mwl.dicom.pdu;

/**
 * A presentation context item as answered in an A-ASSOCIATE-AC (item type 0x21).
 *
 * @param id             the id proposed by the requestor
 * @param result         {@link #ACCEPTANCE}, {@link #USER_REJECTION}, {@link #NO_REASON},
 *                       {@link #ABSTRACT_SYNTAX_NOT_SUPPORTED} or {@link #TRANSFER_SYNTAXES_NOT_SUPPORTED}
 * @param transferSyntax the transfer syntax chosen; meaningless (but present on the wire) when not accepted
 */
public record PresentationContextResult(int id, int result, String transferSyntax) {
    public static final int ACCEPTANCE = 0;
    public static final int USER_REJECTION = 1;
    public static final int NO_REASON = 2;
    public static final int ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    public static final int TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    public boolean accepted() {
        return result == ACCEPTANCE;
    }
}
