package org.ofsep.mwl.dicom.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.DicomReader;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.pdu.PDataTf;
import org.ofsep.mwl.dicom.pdu.PduEncoder;
import org.ofsep.mwl.dicom.pdu.PresentationDataValue;

class DimseCodecTest {

    @Test
    void echoRequestIsEncodedExactlyInImplicitLittleEndianWithGroupLength() {
        Command c = Command.request(CommandField.C_ECHO_RQ, "1.2.840.10008.1.1", 7, false);
        byte[] b = c.encode();
        String hex = HexFormat.of().formatHex(b);
        // (0000,0000) UL 4 = length of the rest
        assertThat(hex).startsWith("00000000" + "04000000");
        int groupLength = (b[8] & 0xFF) | ((b[9] & 0xFF) << 8);
        assertThat(groupLength).isEqualTo(b.length - 12);
        // (0000,0002) UI "1.2.840.10008.1.1" is 17 chars: padded with one NUL to 18
        assertThat(hex).contains("00000200" + "12000000" + HexFormat.of().formatHex("1.2.840.10008.1.1\0".getBytes()));
        assertThat(hex).contains("00000001" + "02000000" + "3000"); // command field
        assertThat(hex).contains("00000008" + "02000000" + "0101"); // no data set
    }

    @Test
    void commandIsReadableByTheDataCodecToo() throws Exception {
        Command c = Command.request(CommandField.C_FIND_RQ, "1.2.840.10008.5.1.4.31", 513, true);
        c.set(Command.PRIORITY, 0);
        Attributes a = DicomReader.readCommand(c.encode());
        assertThat(a.getString(Tag.AffectedSOPClassUID)).isEqualTo("1.2.840.10008.5.1.4.31");
        assertThat(a.getInt(Tag.MessageID, -1)).isEqualTo(513);
        assertThat(a.getInt(Tag.CommandField, -1)).isEqualTo(0x20);
    }

    @Test
    void roundTripKeepsEveryKindOfValue() throws Exception {
        Command c = Command.response(Command.request(CommandField.N_SET_RQ, "1.2.840.10008.3.1.2.3.3", 3, true), Status.PROCESSING_FAILURE, false);
        c.set(Command.AFFECTED_SOP_INSTANCE_UID, "1.2.3.4");
        c.set(Command.ERROR_COMMENT, "Performed Procedure Step Object may no longer be updated");
        c.set(Command.ERROR_ID, 0xA710);
        c.set(Command.ATTRIBUTE_IDENTIFIER_LIST, new int[] {0x00400252, 0x00400250});
        Command back = Command.decode(c.encode());
        assertThat(back.commandField()).isEqualTo(CommandField.N_SET_RSP);
        assertThat(back.messageIdBeingRespondedTo()).isEqualTo(3);
        assertThat(back.status()).isEqualTo(0x0110);
        assertThat(back.sopClassUid()).isEqualTo("1.2.840.10008.3.1.2.3.3");
        assertThat(back.getString(Command.ERROR_COMMENT)).isEqualTo("Performed Procedure Step Object may no longer be updated");
        assertThat(back.getInt(Command.ERROR_ID, 0)).isEqualTo(0xA710);
        assertThat(back.getTags(Command.ATTRIBUTE_IDENTIFIER_LIST)).containsExactly(0x00400252, 0x00400250);
        assertThat(back.hasDataSet()).isFalse();
    }

    @Test
    void malformedCommandsAreRefused() {
        assertThatThrownBy(() -> Command.decode(new byte[] {0, 0, 0, 1, 2})).isInstanceOf(DimseFormatException.class);
        byte[] wrongLength = HexFormat.of().parseHex("0000000104000000" + "30000000");
        assertThatThrownBy(() -> Command.decode(wrongLength)).isInstanceOf(DimseFormatException.class).hasMessageContaining("US element");
        byte[] overrun = HexFormat.of().parseHex("00000001FF000000" + "3000");
        assertThatThrownBy(() -> Command.decode(overrun)).isInstanceOf(DimseFormatException.class);
        byte[] otherGroup = HexFormat.of().parseHex("0800500004000000" + "41424344");
        assertThatThrownBy(() -> Command.decode(otherGroup)).isInstanceOf(DimseFormatException.class).hasMessageContaining("group 0000");
        byte[] noField = Command.request(CommandField.C_ECHO_RQ, "1.2", 1, false).set(Command.COMMAND_FIELD, null).encode();
        assertThatThrownBy(() -> Command.decode(noField)).isInstanceOf(DimseFormatException.class).hasMessageContaining("Command Field");
    }

    @Test
    void fragmentationHonoursThePeerMaximumAndReassemblyRestoresTheMessage() throws Exception {
        byte[] dataSet = new byte[50_000];
        new Random(42).nextBytes(dataSet);
        Command cmd = Command.response(Command.request(CommandField.C_FIND_RQ, "1.2.840.10008.5.1.4.31", 1, true), Status.PENDING, true);
        DimseMessage msg = new DimseMessage(3, cmd, dataSet);
        List<PDataTf> pdus = new ArrayList<>();
        MessageFragmenter.fragment(msg, 4096, pdus::add);
        for (PDataTf p : pdus) {
            int pduLength = PduEncoder.encode(p).length - 6;
            assertThat(pduLength).isLessThanOrEqualTo(4096);
        }
        assertThat(pdus.size()).isEqualTo(1 + (int) Math.ceil(50_000 / 4090.0));
        MessageAssembler asm = new MessageAssembler(65536, 1 << 20, id -> id == 3);
        List<DimseMessage> out = new ArrayList<>();
        for (PDataTf p : pdus) {
            out.addAll(asm.add(p));
        }
        assertThat(out).hasSize(1);
        assertThat(out.get(0).dataSet()).isEqualTo(dataSet);
        assertThat(out.get(0).command().status()).isEqualTo(Status.PENDING);
    }

    @Test
    void unlimitedPeerMaximumSendsOnePdvPerPart() {
        Command cmd = Command.request(CommandField.C_FIND_RQ, "1.2.840.10008.5.1.4.31", 1, true);
        List<PDataTf> pdus = new ArrayList<>();
        MessageFragmenter.fragment(new DimseMessage(1, cmd, new byte[100_000]), 0, pdus::add);
        assertThat(pdus).hasSize(2);
        assertThat(pdus.get(1).values().get(0).data()).hasSize(100_000);
        assertThat(pdus.get(1).values().get(0).last()).isTrue();
    }

    @Test
    void assemblerRefusesOutOfOrderAndOversizedFragments() throws Exception {
        MessageAssembler asm = new MessageAssembler(1024, 100, id -> id == 1 || id == 3);
        assertThatThrownBy(() -> asm.add(pdv(1, false, true, new byte[4]))).isInstanceOf(DimseFormatException.class)
                .hasMessageContaining("before the command");
        MessageAssembler other = new MessageAssembler(1024, 100, id -> id == 1);
        assertThatThrownBy(() -> other.add(pdv(5, true, true, new byte[4]))).hasMessageContaining("not accepted");
        MessageAssembler mixed = new MessageAssembler(1024, 100, id -> id == 1 || id == 3);
        mixed.add(pdv(1, true, false, new byte[4]));
        assertThatThrownBy(() -> mixed.add(pdv(3, true, true, new byte[4]))).hasMessageContaining("inside a message");
        MessageAssembler big = new MessageAssembler(1024, 100, id -> true);
        Command cmd = Command.request(CommandField.C_FIND_RQ, "1.2", 1, true);
        big.add(new PDataTf(List.of(new PresentationDataValue(1, true, true, cmd.encode()))));
        assertThatThrownBy(() -> big.add(pdv(1, false, false, new byte[101]))).hasMessageContaining("longer than 100");
        MessageAssembler bigCommand = new MessageAssembler(1024, 100, id -> true);
        assertThatThrownBy(() -> bigCommand.add(pdv(1, true, false, new byte[1025]))).hasMessageContaining("longer than 1024");
    }

    @Test
    void statusCategories() {
        assertThat(Status.isPending(0xFF01)).isTrue();
        assertThat(Status.isFailure(0xA700)).isTrue();
        assertThat(Status.isFailure(0xC000)).isTrue();
        assertThat(Status.isFailure(Status.CANCEL)).isFalse();
        assertThat(Status.isWarning(0xB000)).isTrue();
    }

    private static PDataTf pdv(int ctx, boolean command, boolean last, byte[] data) {
        return new PDataTf(List.of(new PresentationDataValue(ctx, command, last, data)));
    }

    @SuppressWarnings("unused")
    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
