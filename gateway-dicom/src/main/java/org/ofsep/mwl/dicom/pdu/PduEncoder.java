package org.ofsep.mwl.dicom.pdu;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes PDUs in their PS3.8 9.3 binary form (big-endian lengths, AE titles space-padded to 16 bytes). */
public final class PduEncoder {

    private PduEncoder() {
    }

    public static void write(OutputStream out, Pdu pdu) throws IOException {
        out.write(encode(pdu));
    }

    /** Appends the encoded PDU to {@code out}; a P-DATA-TF is written without intermediate copies. */
    public static void encode(Pdu pdu, ByteArrayOutputStream out) {
        if (!(pdu instanceof PDataTf p)) {
            out.writeBytes(encode(pdu));
            return;
        }
        long length = 0;
        for (PresentationDataValue pdv : p.values()) {
            length += 6L + pdv.data().length;
        }
        out.write(pdu.type());
        out.write(0);
        u32(out, length);
        for (PresentationDataValue pdv : p.values()) {
            u32(out, pdv.data().length + 2L);
            out.write(pdv.contextId());
            out.write(pdv.messageControlHeader());
            out.write(pdv.data(), 0, pdv.data().length);
        }
    }

    private static void u32(ByteArrayOutputStream out, long v) {
        out.write((int) (v >>> 24) & 0xFF);
        out.write((int) (v >>> 16) & 0xFF);
        out.write((int) (v >>> 8) & 0xFF);
        out.write((int) v & 0xFF);
    }

    public static byte[] encode(Pdu pdu) {
        Buf body = new Buf();
        if (pdu instanceof AssociateRq rq) {
                associateHeader(body, rq.protocolVersion(), rq.calledAeTitle(), rq.callingAeTitle());
                uidItem(body, 0x10, rq.applicationContext());
                for (PresentationContext pc : rq.presentationContexts()) {
                    Buf item = new Buf();
                    item.u8(pc.id()).u8(0).u8(0).u8(0);
                    uidItem(item, 0x30, pc.abstractSyntax());
                    for (String ts : pc.transferSyntaxes()) {
                        uidItem(item, 0x40, ts);
                    }
                    body.u8(0x20).u8(0).u16(item.size()).bytes(item.toByteArray());
                }
                userInformation(body, rq.userInformation());
        } else if (pdu instanceof AssociateAc ac) {
                associateHeader(body, ac.protocolVersion(), ac.calledAeTitle(), ac.callingAeTitle());
                uidItem(body, 0x10, ac.applicationContext());
                for (PresentationContextResult pc : ac.presentationContexts()) {
                    Buf item = new Buf();
                    item.u8(pc.id()).u8(0).u8(pc.result()).u8(0);
                    uidItem(item, 0x40, pc.transferSyntax() == null ? "" : pc.transferSyntax());
                    body.u8(0x21).u8(0).u16(item.size()).bytes(item.toByteArray());
                }
                userInformation(body, ac.userInformation());
        } else if (pdu instanceof AssociateRj rj) {
            body.u8(0).u8(rj.result()).u8(rj.source()).u8(rj.reason());
        } else if (pdu instanceof PDataTf p) {
                for (PresentationDataValue pdv : p.values()) {
                    body.u32(pdv.data().length + 2L).u8(pdv.contextId()).u8(pdv.messageControlHeader())
                            .bytes(pdv.data());
                }
        } else if (pdu instanceof ReleaseRq || pdu instanceof ReleaseRp) {
            body.u32(0);
        } else if (pdu instanceof Abort a) {
            body.u8(0).u8(0).u8(a.source()).u8(a.reason());
        }
        Buf whole = new Buf();
        whole.u8(pdu.type()).u8(0).u32(body.size()).bytes(body.toByteArray());
        return whole.toByteArray();
    }

    private static void associateHeader(Buf b, int version, String called, String calling) {
        b.u16(version).u16(0).bytes(aeTitle(called)).bytes(aeTitle(calling)).bytes(new byte[32]);
    }

    private static void userInformation(Buf body, UserInformation ui) {
        if (ui == null) {
            return;
        }
        Buf sub = new Buf();
        sub.u8(0x51).u8(0).u16(4).u32(ui.maxPduLength());
        if (ui.implementationClassUid() != null) { // mandatory, but a decoded peer item may lack it
            uidItem(sub, 0x52, ui.implementationClassUid());
        }
        if (ui.asyncOpsWindow() != null) {
            sub.u8(0x53).u8(0).u16(4).u16(ui.asyncOpsWindow().maxOperationsInvoked())
                    .u16(ui.asyncOpsWindow().maxOperationsPerformed());
        }
        for (RoleSelection rs : ui.roleSelections()) {
            byte[] uid = ascii(rs.sopClassUid());
            sub.u8(0x54).u8(0).u16(uid.length + 4).u16(uid.length).bytes(uid)
                    .u8(rs.scuRole() ? 1 : 0).u8(rs.scpRole() ? 1 : 0);
        }
        if (ui.implementationVersionName() != null) {
            uidItem(sub, 0x55, ui.implementationVersionName());
        }
        for (UserInformation.RawItem raw : ui.otherItems()) {
            sub.u8(raw.type()).u8(0).u16(raw.value().length).bytes(raw.value());
        }
        body.u8(0x50).u8(0).u16(sub.size()).bytes(sub.toByteArray());
    }

    /** An item whose value is one ASCII string (UID, version name): type, reserved, 2-byte length, value. */
    private static void uidItem(Buf b, int type, String value) {
        byte[] v = ascii(value);
        b.u8(type).u8(0).u16(v.length).bytes(v);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] aeTitle(String ae) {
        byte[] out = new byte[16];
        java.util.Arrays.fill(out, (byte) ' ');
        byte[] v = ascii(ae == null ? "" : ae);
        System.arraycopy(v, 0, out, 0, Math.min(16, v.length));
        return out;
    }

    /** Minimal big-endian byte builder. */
    private static final class Buf extends ByteArrayOutputStream {
        Buf u8(int v) {
            write(v & 0xFF);
            return this;
        }

        Buf u16(int v) {
            write((v >>> 8) & 0xFF);
            write(v & 0xFF);
            return this;
        }

        Buf u32(long v) {
            write((int) (v >>> 24) & 0xFF);
            write((int) (v >>> 16) & 0xFF);
            write((int) (v >>> 8) & 0xFF);
            write((int) v & 0xFF);
            return this;
        }

        Buf bytes(byte[] b) {
            write(b, 0, b.length);
            return this;
        }
    }
}
