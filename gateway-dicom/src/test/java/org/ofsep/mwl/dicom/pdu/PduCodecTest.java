package org.ofsep.mwl.dicom.pdu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PduCodecTest {

    static AssociateRq sampleRq() {
        return new AssociateRq(1, "MWLGW", "MR_GE", "1.2.840.10008.3.1.1.1",
                List.of(new PresentationContext(1, "1.2.840.10008.5.1.4.31", List.of("1.2.840.10008.1.2.1", "1.2.840.10008.1.2")),
                        new PresentationContext(3, "1.2.840.10008.1.1", List.of("1.2.840.10008.1.2"))),
                new UserInformation(16384, "1.2.3.4", "PEER_1", List.of(new RoleSelection("1.2.840.10008.5.1.4.31", true, false)),
                        new AsyncOpsWindow(5, 5), List.of(new UserInformation.RawItem(0x58, new byte[] {1, 0, 0, 4, 'u', 's', 'e', 'r', 0, 0}))));
    }

    private static Pdu roundTrip(Pdu pdu) throws Exception {
        byte[] bytes = PduEncoder.encode(pdu);
        return PduDecoder.read(new ByteArrayInputStream(bytes), 1 << 20);
    }

    @Test
    void associateRqRoundTripsWithEveryUserInformationSubItem() throws Exception {
        AssociateRq back = (AssociateRq) roundTrip(sampleRq());
        assertThat(back.calledAeTitle()).isEqualTo("MWLGW");
        assertThat(back.callingAeTitle()).isEqualTo("MR_GE");
        assertThat(back.presentationContexts()).isEqualTo(sampleRq().presentationContexts());
        UserInformation ui = back.userInformation();
        assertThat(ui.maxPduLength()).isEqualTo(16384);
        assertThat(ui.implementationClassUid()).isEqualTo("1.2.3.4");
        assertThat(ui.implementationVersionName()).isEqualTo("PEER_1");
        assertThat(ui.roleSelections()).containsExactly(new RoleSelection("1.2.840.10008.5.1.4.31", true, false));
        assertThat(ui.asyncOpsWindow()).isEqualTo(new AsyncOpsWindow(5, 5));
        assertThat(ui.otherItems()).hasSize(1);
        assertThat(ui.otherItems().get(0).type()).isEqualTo(0x58);
    }

    @Test
    void associateRqHeaderIsLaidOutAsPs38Says() {
        byte[] b = PduEncoder.encode(sampleRq());
        assertThat(b[0]).isEqualTo((byte) 0x01);
        long len = ((b[2] & 0xFFL) << 24) | ((b[3] & 0xFFL) << 16) | ((b[4] & 0xFFL) << 8) | (b[5] & 0xFFL);
        assertThat(len).isEqualTo(b.length - 6);
        assertThat(new String(b, 10, 16)).isEqualTo("MWLGW           "); // called AE, space padded
        assertThat(new String(b, 26, 16)).isEqualTo("MR_GE           ");
        assertThat(b[74]).isEqualTo((byte) 0x10); // application context item right after 32 reserved bytes
    }

    @Test
    void associateAcAndRjRoundTrip() throws Exception {
        AssociateAc ac = new AssociateAc(1, "MWLGW", "MR_GE", "1.2.840.10008.3.1.1.1",
                List.of(new PresentationContextResult(1, 0, "1.2.840.10008.1.2.1"),
                        new PresentationContextResult(3, 3, "1.2.840.10008.1.2")),
                new UserInformation(0, "1.2.3", null, List.of(), null, List.of()));
        assertThat(roundTrip(ac)).isEqualTo(new AssociateAc(1, "MWLGW", "MR_GE", "1.2.840.10008.3.1.1.1",
                ac.presentationContexts(), new UserInformation(0, "1.2.3", null, List.of(), null, List.of())));
        AssociateRj rj = new AssociateRj(1, 1, 3);
        assertThat(HexFormat.of().formatHex(PduEncoder.encode(rj))).isEqualTo("03000000000400010103");
        assertThat(roundTrip(rj)).isEqualTo(rj);
    }

    @Test
    void releaseAndAbortHaveTheirFixedForm() throws Exception {
        assertThat(HexFormat.of().formatHex(PduEncoder.encode(new ReleaseRq()))).isEqualTo("05000000000400000000");
        assertThat(HexFormat.of().formatHex(PduEncoder.encode(new ReleaseRp()))).isEqualTo("06000000000400000000");
        assertThat(HexFormat.of().formatHex(PduEncoder.encode(Abort.byProvider(2)))).isEqualTo("07000000000400000202");
        assertThat(roundTrip(new ReleaseRq())).isEqualTo(new ReleaseRq());
        assertThat(roundTrip(Abort.byUser())).isEqualTo(Abort.byUser());
    }

    @Test
    void pDataCarriesMessageControlHeaders() throws Exception {
        PDataTf p = new PDataTf(List.of(new PresentationDataValue(1, true, true, new byte[] {1, 2, 3}),
                new PresentationDataValue(1, false, false, new byte[] {4})));
        byte[] b = PduEncoder.encode(p);
        assertThat(HexFormat.of().formatHex(b)).isEqualTo("040000000010" + "00000005" + "01" + "03" + "010203"
                + "00000003" + "01" + "00" + "04");
        PDataTf back = (PDataTf) roundTrip(p);
        assertThat(back.values()).hasSize(2);
        assertThat(back.values().get(0).command()).isTrue();
        assertThat(back.values().get(0).last()).isTrue();
        assertThat(back.values().get(1).command()).isFalse();
        assertThat(back.values().get(1).last()).isFalse();
        assertThat(back.values().get(0).data()).containsExactly(1, 2, 3);
    }

    @Test
    void uidsPaddedWithNulAreTrimmed() throws Exception {
        byte[] b = PduEncoder.encode(sampleRq());
        // make the application context UID 22 bytes with a trailing NUL, as some peers send it
        AssociateRq rq = new AssociateRq(1, "A", "B", "1.2.840.10008.3.1.1.1\0", sampleRq().presentationContexts(), sampleRq().userInformation());
        assertThat(((AssociateRq) roundTrip(rq)).applicationContext()).isEqualTo("1.2.840.10008.3.1.1.1");
        assertThat(b).isNotEmpty();
    }

    @Test
    void unknownPduTypeIsUnrecognized() {
        byte[] b = HexFormat.of().parseHex("09000000000400000000");
        assertThatThrownBy(() -> PduDecoder.read(new ByteArrayInputStream(b), 16384))
                .isInstanceOfSatisfying(PduFormatException.class, e -> assertThat(e.abortReason()).isEqualTo(Abort.REASON_UNRECOGNIZED_PDU));
    }

    @Test
    void oversizedPDataIsRefusedBeforeAnyAllocation() {
        // declares 2 GiB: must be refused from the header alone
        byte[] b = HexFormat.of().parseHex("04007FFFFFFF");
        assertThatThrownBy(() -> PduDecoder.read(new ByteArrayInputStream(b), 16384))
                .isInstanceOf(PduFormatException.class).hasMessageContaining("exceeds");
        byte[] assoc = HexFormat.of().parseHex("01000FFFFFFF");
        assertThatThrownBy(() -> PduDecoder.read(new ByteArrayInputStream(assoc), 0))
                .isInstanceOf(PduFormatException.class);
    }

    @Test
    void inconsistentPdvLengthIsInvalid() {
        byte[] b = HexFormat.of().parseHex("04000000000A" + "000000FF" + "0103" + "01020304");
        assertThatThrownBy(() -> PduDecoder.read(new ByteArrayInputStream(b), 16384))
                .isInstanceOfSatisfying(PduFormatException.class,
                        e -> assertThat(e.abortReason()).isEqualTo(Abort.REASON_INVALID_PDU_PARAMETER_VALUE));
    }

    @Test
    void truncatedItemsAndMissingMandatoryItemsAreInvalid() {
        byte[] full = PduEncoder.encode(sampleRq());
        byte[] body = Arrays.copyOfRange(full, 6, full.length);
        // cut inside the user information item
        assertThatThrownBy(() -> PduDecoder.decode(1, Arrays.copyOf(body, body.length - 3))).isInstanceOf(PduFormatException.class);
        // header only, no items
        assertThatThrownBy(() -> PduDecoder.decode(1, Arrays.copyOf(body, 68))).isInstanceOf(PduFormatException.class)
                .hasMessageContaining("application context");
        // release with wrong length
        assertThatThrownBy(() -> PduDecoder.decode(5, new byte[3])).isInstanceOf(PduFormatException.class);
    }

    @Test
    void streamEndingInsideAPduIsAnEofNotAFormatError() {
        byte[] full = PduEncoder.encode(sampleRq());
        assertThatThrownBy(() -> PduDecoder.read(new ByteArrayInputStream(Arrays.copyOf(full, 20)), 16384))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void cleanEndOfStreamGivesNull() throws Exception {
        assertThat(PduDecoder.read(new ByteArrayInputStream(new byte[0]), 16384)).isNull();
    }
}
