package org.ofsep.mwl.dicom.pdu;

import java.util.List;

/**
 * A presentation context item as proposed in an A-ASSOCIATE-RQ (item type 0x20): one abstract syntax and the
 * transfer syntaxes the requestor can use for it.
 *
 * @param id               odd number 1..255
 * @param abstractSyntax   SOP Class UID
 * @param transferSyntaxes in the requestor's order of preference
 */
public record PresentationContext(int id, String abstractSyntax, List<String> transferSyntaxes) {
    public PresentationContext {
        transferSyntaxes = List.copyOf(transferSyntaxes);
    }
}
