package org.ofsep.mwl.dicom.pdu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.dicom.dimse.Command;
import org.ofsep.mwl.dicom.dimse.CommandField;
import org.ofsep.mwl.dicom.dimse.DimseFormatException;
import org.ofsep.mwl.dicom.dimse.MessageAssembler;

/**
 * Seeded random mutation of valid PDUs (bit flips, byte changes, length fields overwritten, truncation, splicing):
 * the decoder must only ever answer with a PDU, a {@link PduFormatException} or an end of stream; never another
 * exception, never allocate more than the accepted maximum. A fixed seed list makes every run reproducible;
 * the run is bounded in iterations, not time.
 */
class PduDecoderFuzzTest {

    private static final int ITERATIONS = 150_000;
    private static final long MAX = 16384;

    private static List<byte[]> corpus() {
        Command find = Command.request(CommandField.C_FIND_RQ, "1.2.840.10008.5.1.4.31", 1, true);
        return List.of(
                PduEncoder.encode(PduCodecTest.sampleRq()),
                PduEncoder.encode(new AssociateAc(1, "MWLGW", "MR_GE", "1.2.840.10008.3.1.1.1",
                        List.of(new PresentationContextResult(1, 0, "1.2.840.10008.1.2")),
                        new UserInformation(16384, "1.2.3", "V", List.of(new RoleSelection("1.2", true, false)), new AsyncOpsWindow(1, 1), List.of()))),
                PduEncoder.encode(new AssociateRj(1, 1, 7)),
                PduEncoder.encode(new PDataTf(List.of(new PresentationDataValue(1, true, true, find.encode()),
                        new PresentationDataValue(1, false, true, new byte[] {0x10, 0, 0x10, 0, 0, 0, 0, 0})))),
                PduEncoder.encode(new ReleaseRq()),
                PduEncoder.encode(Abort.byUser()));
    }

    @Test
    void mutatedPdusNeverEscapeAsAnythingButAFormatErrorOrEof() {
        Random random = new Random(20261125L);
        List<byte[]> corpus = corpus();
        int decoded = 0;
        int refused = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = PduFuzzMutator.mutate(corpus.get(random.nextInt(corpus.size())), corpus, random);
            try {
                Pdu pdu = PduDecoder.read(new ByteArrayInputStream(input), MAX);
                if (pdu != null) {
                    decoded++;
                    // whatever decodes must encode again (no half-built records)
                    assertThat(PduEncoder.encode(pdu)).isNotEmpty();
                    if (pdu instanceof PDataTf p) {
                        feedAssembler(p);
                    }
                }
            } catch (PduFormatException | EOFException e) {
                refused++;
            } catch (Throwable t) {
                fail("iteration " + i + " escaped with " + t + " on input " + java.util.HexFormat.of().formatHex(input), t);
            }
        }
        assertThat(decoded).isPositive();
        assertThat(refused).isPositive();
    }

    /** DIMSE reassembly of whatever P-DATA decoded: only DimseFormatException may come out. */
    private static void feedAssembler(PDataTf p) {
        MessageAssembler asm = new MessageAssembler(65536, 1 << 20, id -> true);
        try {
            asm.add(p);
        } catch (DimseFormatException e) {
            // refused: fine
        }
    }

    @Test
    void mutatedCommandSetsOnlyEverFailAsDimseFormatErrors() {
        Random random = new Random(77L);
        Command c = Command.request(CommandField.N_SET_RQ, "1.2.840.10008.3.1.2.3.3", 9, true);
        c.set(Command.REQUESTED_SOP_INSTANCE_UID, "1.2.3.4.5.6.7");
        c.set(Command.ATTRIBUTE_IDENTIFIER_LIST, new int[] {0x00400252});
        byte[] seed = c.encode();
        for (int i = 0; i < 50_000; i++) {
            byte[] input = PduFuzzMutator.mutate(seed, List.of(seed), random);
            try {
                Command back = Command.decode(input);
                assertThat(Command.decode(back.encode()).commandField()).isEqualTo(back.commandField());
            } catch (DimseFormatException e) {
                // refused: fine
            } catch (Throwable t) {
                fail("iteration " + i + " escaped with " + t + " on " + java.util.HexFormat.of().formatHex(input), t);
            }
        }
    }
}
