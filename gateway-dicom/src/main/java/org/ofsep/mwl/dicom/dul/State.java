package org.ofsep.mwl.dicom.dul;

/** The states of the DICOM Upper Layer protocol machine (PS3.8 Table 9-1). */
public enum State {
    STA1("Idle"),
    STA2("Transport connection open (awaiting A-ASSOCIATE-RQ PDU)"),
    STA3("Awaiting local A-ASSOCIATE response primitive"),
    STA4("Awaiting transport connection opening to complete"),
    STA5("Awaiting A-ASSOCIATE-AC or A-ASSOCIATE-RJ PDU"),
    STA6("Association established and ready for data transfer"),
    STA7("Awaiting A-RELEASE-RP PDU"),
    STA8("Awaiting local A-RELEASE response primitive"),
    STA9("Release collision requestor side; awaiting A-RELEASE response"),
    STA10("Release collision acceptor side; awaiting A-RELEASE-RP PDU"),
    STA11("Release collision requestor side; awaiting A-RELEASE-RP PDU"),
    STA12("Release collision acceptor side; awaiting A-RELEASE response primitive"),
    STA13("Awaiting transport connection close indication (association no longer exists)");

    private final String description;
    private final String code;

    State(String description) {
        this.description = description;
        this.code = "Sta" + name().substring(3);
    }

    public String description() {
        return description;
    }

    /** "Sta6" as the standard writes it. */
    public String code() {
        return code;
    }

    public static State ofCode(String code) {
        return valueOf("STA" + code.substring(3));
    }
}
