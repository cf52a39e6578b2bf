package org.ofsep.mwl.dicom.pdu;

/**
 * One DICOM Upper Layer protocol data unit (PS3.8 section 9.3). Each PDU type is a record; {@link PduEncoder}
 * writes them and {@link PduDecoder} reads them back, refusing anything malformed.
 */
public sealed interface Pdu permits AssociateRq, AssociateAc, AssociateRj, PDataTf, ReleaseRq, ReleaseRp, Abort {

    int TYPE_ASSOCIATE_RQ = 0x01;
    int TYPE_ASSOCIATE_AC = 0x02;
    int TYPE_ASSOCIATE_RJ = 0x03;
    int TYPE_P_DATA_TF = 0x04;
    int TYPE_RELEASE_RQ = 0x05;
    int TYPE_RELEASE_RP = 0x06;
    int TYPE_ABORT = 0x07;

    /** The PDU-type byte. */
    int type();
}
