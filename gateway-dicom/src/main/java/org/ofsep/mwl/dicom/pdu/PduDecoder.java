package org.ofsep.mwl.dicom.pdu;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads PDUs defensively: the declared length is checked against the maximum the caller accepts before any
 * buffer is allocated, and every item length is checked against what remains. Anything inconsistent is a
 * {@link PduFormatException}, which the upper layer turns into an A-ABORT of that association only.
 */
public final class PduDecoder {

    /** Non-P-DATA PDUs (association negotiation) are small; this bounds them whatever the P-DATA limit is. */
    public static final int MAX_CONTROL_PDU_LENGTH = 1 << 20;

    private PduDecoder() {
    }

    /**
     * Reads one PDU.
     *
     * @param maxPDataLength largest P-DATA-TF PDU length (the variable part) accepted; 0 = no limit beyond 2^31-1
     * @return the PDU, or null when the stream ended cleanly before its first byte
     * @throws PduFormatException when the PDU is malformed or too long
     * @throws IOException        when the transport fails, or ends in the middle of a PDU (EOFException)
     */
    public static Pdu read(InputStream in, long maxPDataLength) throws IOException, PduFormatException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        byte[] head = readFully(in, 5);
        long length = ((head[1] & 0xFFL) << 24) | ((head[2] & 0xFFL) << 16) | ((head[3] & 0xFFL) << 8) | (head[4] & 0xFFL);
        if (type < Pdu.TYPE_ASSOCIATE_RQ || type > Pdu.TYPE_ABORT) {
            throw new PduFormatException(Abort.REASON_UNRECOGNIZED_PDU, "unrecognized PDU type 0x" + Integer.toHexString(type));
        }
        long limit = type == Pdu.TYPE_P_DATA_TF
                ? (maxPDataLength <= 0 ? Integer.MAX_VALUE - 8 : maxPDataLength)
                : MAX_CONTROL_PDU_LENGTH;
        if (length > limit) {
            throw new PduFormatException(Abort.REASON_INVALID_PDU_PARAMETER_VALUE,
                    "PDU type " + type + " length " + length + " exceeds the accepted maximum " + limit);
        }
        byte[] body = readFully(in, (int) length);
        return decode(type, body);
    }

    /** Decodes the variable part of a PDU of the given type. */
    public static Pdu decode(int type, byte[] body) throws PduFormatException {
        Cursor c = new Cursor(body);
        try {
            return switch (type) {
                case Pdu.TYPE_ASSOCIATE_RQ -> decodeAssociateRq(c);
                case Pdu.TYPE_ASSOCIATE_AC -> decodeAssociateAc(c);
                case Pdu.TYPE_ASSOCIATE_RJ -> {
                    fixedLength(body, 4, "A-ASSOCIATE-RJ");
                    c.skip(1);
                    yield new AssociateRj(c.u8(), c.u8(), c.u8());
                }
                case Pdu.TYPE_P_DATA_TF -> decodePData(c);
                case Pdu.TYPE_RELEASE_RQ -> {
                    fixedLength(body, 4, "A-RELEASE-RQ");
                    yield new ReleaseRq();
                }
                case Pdu.TYPE_RELEASE_RP -> {
                    fixedLength(body, 4, "A-RELEASE-RP");
                    yield new ReleaseRp();
                }
                case Pdu.TYPE_ABORT -> {
                    fixedLength(body, 4, "A-ABORT");
                    c.skip(2);
                    yield new Abort(c.u8(), c.u8());
                }
                default -> throw new PduFormatException(Abort.REASON_UNRECOGNIZED_PDU, "unrecognized PDU type " + type);
            };
        } catch (IndexOutOfBoundsException e) {
            throw new PduFormatException(Abort.REASON_INVALID_PDU_PARAMETER_VALUE, "truncated PDU type " + type);
        }
    }

    private static void fixedLength(byte[] body, int expected, String what) throws PduFormatException {
        if (body.length != expected) {
            throw new PduFormatException(Abort.REASON_INVALID_PDU_PARAMETER_VALUE,
                    what + " length " + body.length + ", expected " + expected);
        }
    }

    private static PDataTf decodePData(Cursor c) throws PduFormatException {
        List<PresentationDataValue> values = new ArrayList<>();
        while (c.remaining() > 0) {
            long itemLength = c.u32();
            if (itemLength < 2 || itemLength > c.remaining()) {
                throw new PduFormatException(Abort.REASON_INVALID_PDU_PARAMETER_VALUE,
                        "PDV item length " + itemLength + " inconsistent with the PDU");
            }
            int contextId = c.u8();
            int mch = c.u8();
            if ((mch & 0xFC) != 0) {
                throw new PduFormatException(Abort.REASON_INVALID_PDU_PARAMETER_VALUE,
                        "reserved bits set in PDV message control header 0x" + Integer.toHexString(mch));
            }
            byte[] data = c.bytes((int) itemLength - 2);
            values.add(new PresentationDataValue(contextId, (mch & 1) != 0, (mch & 2) != 0, data));
        }
        if (values.isEmpty()) {
            throw new PduFormatException(Abort.REASON_INVALID_PDU_PARAMETER_VALUE, "P-DATA-TF without PDV");
        }
        return new PDataTf(values);
    }

    private record AssociateFields(int version, String called, String calling, String appContext,
                                   List<PresentationContext> rqContexts, List<PresentationContextResult> acContexts,
                                   UserInformation userInfo) {
    }

    private static AssociateRq decodeAssociateRq(Cursor c) throws PduFormatException {
        AssociateFields f = decodeAssociate(c, true);
        if (f.rqContexts.isEmpty()) {
            throw new PduFormatException(Abort.REASON_INVALID_PDU_PARAMETER_VALUE, "A-ASSOCIATE-RQ without presentation context");
        }
        return new AssociateRq(f.version, f.called, f.calling, f.appContext, f.rqContexts, f.userInfo);
    }

    private static AssociateAc decodeAssociateAc(Cursor c) throws PduFormatException {
        AssociateFields f = decodeAssociate(c, false);
        return new AssociateAc(f.version, f.called, f.calling, f.appContext, f.acContexts, f.userInfo);
    }

    private static AssociateFields decodeAssociate(Cursor c, boolean request) throws PduFormatException {
        int version = c.u16();
        c.skip(2);
        String called = aeTitle(c.bytes(16));
        String calling = aeTitle(c.bytes(16));
        c.skip(32);
        String appContext = null;
        List<PresentationContext> rq = new ArrayList<>();
        List<PresentationContextResult> ac = new ArrayList<>();
        UserInformation ui = null;
        while (c.remaining() > 0) {
            int itemType = c.u8();
            c.skip(1);
            int len = c.u16();
            Cursor item = c.sub(len);
            switch (itemType) {
                case 0x10 -> appContext = string(item.bytes(len));
                case 0x20 -> {
                    if (!request) {
                        throw unexpected("presentation context item 0x20 in A-ASSOCIATE-AC");
                    }
                    rq.add(decodeProposedContext(item));
                }
                case 0x21 -> {
                    if (request) {
                        throw unexpected("presentation context item 0x21 in A-ASSOCIATE-RQ");
                    }
                    ac.add(decodeContextResult(item));
                }
                case 0x50 -> ui = decodeUserInformation(item);
                default -> throw new PduFormatException(Abort.REASON_UNRECOGNIZED_PDU_PARAMETER,
                        "unrecognized item type 0x" + Integer.toHexString(itemType));
            }
        }
        if (appContext == null || appContext.isEmpty()) {
            throw new PduFormatException(Abort.REASON_INVALID_PDU_PARAMETER_VALUE, "missing application context name");
        }
        if (ui == null) {
            // Implementation Class UID is mandatory too (PS3.7 D.3.3.2), but some old peers omit it: tolerated.
            throw new PduFormatException(Abort.REASON_INVALID_PDU_PARAMETER_VALUE, "missing user information item");
        }
        return new AssociateFields(version, called, calling, appContext, rq, ac, ui);
    }

    private static PresentationContext decodeProposedContext(Cursor item) throws PduFormatException {
        int id = item.u8();
        item.skip(3);
        String abstractSyntax = null;
        List<String> ts = new ArrayList<>();
        while (item.remaining() > 0) {
            int t = item.u8();
            item.skip(1);
            int len = item.u16();
            String v = string(item.bytes(len));
            if (t == 0x30) {
                if (abstractSyntax != null) {
                    throw unexpected("two abstract syntaxes in presentation context " + id);
                }
                abstractSyntax = v;
            } else if (t == 0x40) {
                ts.add(v);
            } else {
                throw new PduFormatException(Abort.REASON_UNRECOGNIZED_PDU_PARAMETER,
                        "unrecognized sub-item 0x" + Integer.toHexString(t) + " in presentation context " + id);
            }
        }
        if (abstractSyntax == null || ts.isEmpty()) {
            throw new PduFormatException(Abort.REASON_INVALID_PDU_PARAMETER_VALUE,
                    "presentation context " + id + " lacks its abstract or transfer syntax");
        }
        return new PresentationContext(id, abstractSyntax, ts);
    }

    private static PresentationContextResult decodeContextResult(Cursor item) throws PduFormatException {
        int id = item.u8();
        item.skip(1);
        int result = item.u8();
        item.skip(1);
        String ts = null;
        while (item.remaining() > 0) {
            int t = item.u8();
            item.skip(1);
            int len = item.u16();
            String v = string(item.bytes(len));
            if (t == 0x40) {
                ts = v;
            } else {
                throw new PduFormatException(Abort.REASON_UNRECOGNIZED_PDU_PARAMETER,
                        "unrecognized sub-item 0x" + Integer.toHexString(t) + " in presentation context " + id);
            }
        }
        return new PresentationContextResult(id, result, ts);
    }

    private static UserInformation decodeUserInformation(Cursor item) throws PduFormatException {
        long maxLength = 0;
        boolean maxSeen = false;
        String implUid = null;
        String implVersion = null;
        AsyncOpsWindow window = null;
        List<RoleSelection> roles = new ArrayList<>();
        List<UserInformation.RawItem> others = new ArrayList<>();
        while (item.remaining() > 0) {
            int t = item.u8();
            item.skip(1);
            int len = item.u16();
            Cursor sub = item.sub(len);
            switch (t) {
                case 0x51 -> {
                    if (len != 4) {
                        throw new PduFormatException(Abort.REASON_INVALID_PDU_PARAMETER_VALUE, "maximum length sub-item of length " + len);
                    }
                    maxLength = sub.u32();
                    maxSeen = true;
                }
                case 0x52 -> implUid = string(sub.bytes(len));
                case 0x53 -> {
                    if (len != 4) {
                        throw new PduFormatException(Abort.REASON_INVALID_PDU_PARAMETER_VALUE, "asynchronous operations window of length " + len);
                    }
                    window = new AsyncOpsWindow(sub.u16(), sub.u16());
                }
                case 0x54 -> {
                    int uidLen = sub.u16();
                    if (uidLen + 4 != len) {
                        throw new PduFormatException(Abort.REASON_INVALID_PDU_PARAMETER_VALUE, "role selection sub-item lengths disagree");
                    }
                    String uid = string(sub.bytes(uidLen));
                    roles.add(new RoleSelection(uid, sub.u8() != 0, sub.u8() != 0));
                }
                case 0x55 -> implVersion = string(sub.bytes(len));
                default -> others.add(new UserInformation.RawItem(t, sub.bytes(len)));
            }
        }
        if (!maxSeen) {
            throw new PduFormatException(Abort.REASON_INVALID_PDU_PARAMETER_VALUE, "missing maximum length sub-item");
        }
        return new UserInformation(maxLength, implUid, implVersion, roles, window, others);
    }

    private static PduFormatException unexpected(String what) {
        return new PduFormatException(Abort.REASON_UNEXPECTED_PDU_PARAMETER, what);
    }

    /** UIDs may be padded with a trailing NUL or space by some peers; neither is part of the value. */
    private static String string(byte[] b) {
        int end = b.length;
        while (end > 0 && (b[end - 1] == 0 || b[end - 1] == ' ')) {
            end--;
        }
        return new String(b, 0, end, StandardCharsets.US_ASCII);
    }

    private static String aeTitle(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII).trim();
    }

    static byte[] readFully(InputStream in, int n) throws IOException {
        byte[] b = new byte[n];
        int off = 0;
        while (off < n) {
            int r = in.read(b, off, n - off);
            if (r < 0) {
                throw new EOFException("connection closed inside a PDU");
            }
            off += r;
        }
        return b;
    }

    /** Bounds-checked reading over a byte array slice. */
    private static final class Cursor {
        private final byte[] b;
        private int pos;
        private final int end;

        Cursor(byte[] b) {
            this(b, 0, b.length);
        }

        private Cursor(byte[] b, int from, int end) {
            this.b = b;
            this.pos = from;
            this.end = end;
        }

        int remaining() {
            return end - pos;
        }

        private void need(int n) throws PduFormatException {
            if (n < 0 || n > remaining()) {
                throw new PduFormatException(Abort.REASON_INVALID_PDU_PARAMETER_VALUE,
                        "item length " + n + " exceeds the " + remaining() + " bytes left");
            }
        }

        int u8() throws PduFormatException {
            need(1);
            return b[pos++] & 0xFF;
        }

        int u16() throws PduFormatException {
            need(2);
            int v = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
            pos += 2;
            return v;
        }

        long u32() throws PduFormatException {
            need(4);
            long v = ((b[pos] & 0xFFL) << 24) | ((b[pos + 1] & 0xFFL) << 16) | ((b[pos + 2] & 0xFFL) << 8) | (b[pos + 3] & 0xFFL);
            pos += 4;
            return v;
        }

        void skip(int n) throws PduFormatException {
            need(n);
            pos += n;
        }

        byte[] bytes(int n) throws PduFormatException {
            need(n);
            byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }

        Cursor sub(int n) throws PduFormatException {
            need(n);
            Cursor c = new Cursor(b, pos, pos + n);
            pos += n;
            return c;
        }
    }
}
