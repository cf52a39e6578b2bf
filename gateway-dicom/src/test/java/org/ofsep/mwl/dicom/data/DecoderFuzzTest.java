package org.ofsep.mwl.dicom.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bounded, seeded fuzzing of the dataset decoder: valid datasets (every VR, nested sequences of defined and
 * undefined length, both syntaxes, a command set, a Part 10 file) are mutated at random (bit flips, random and
 * extreme lengths, truncation, insertion, splicing). Whatever the bytes, the decoder either returns a dataset or
 * throws {@link DicomCodecException}; it never throws anything else, never hangs, and never allocates much more
 * than its input. A failure prints the seed and the input to replay it.
 */
class DecoderFuzzTest {

    private static final int ITERATIONS = 6000;
    private static final long MAX_ALLOCATION_PER_DECODE = 8L * 1024 * 1024;

    private record Seed(byte[] bytes, TransferSyntax ts, boolean part10) {
    }

    private static List<Seed> seeds() throws Exception {
        List<Seed> seeds = new ArrayList<>();
        for (TransferSyntax ts : List.of(TransferSyntax.IMPLICIT_VR_LE, TransferSyntax.EXPLICIT_VR_LE)) {
            for (DicomWriter.SequenceLength len : DicomWriter.SequenceLength.values()) {
                seeds.add(new Seed(DicomWriter.write(CodecRoundTripTest.nested(), ts, len), ts, false));
                seeds.add(new Seed(DicomWriter.write(CodecRoundTripTest.everyVR(), ts, len), ts, false));
            }
        }
        Attributes cmd = new Attributes();
        cmd.setString(Tag.AffectedSOPClassUID, VR.UI, UID.MODALITY_WORKLIST_FIND);
        cmd.setInt(Tag.CommandField, VR.US, 0x0020);
        cmd.setInt(Tag.MessageID, VR.US, 7);
        cmd.setInt(Tag.Priority, VR.US, 0);
        cmd.setInt(Tag.CommandDataSetType, VR.US, 0x0000);
        seeds.add(new Seed(DicomWriter.writeCommand(cmd), TransferSyntax.IMPLICIT_VR_LE, false));
        DicomFile file = new DicomFile(DicomFile.createFileMeta(UID.MODALITY_WORKLIST_FIND, "1.2.3",
                TransferSyntax.EXPLICIT_VR_LE), CodecRoundTripTest.nested());
        seeds.add(new Seed(file.toBytes(), TransferSyntax.EXPLICIT_VR_LE, true));
        return seeds;
    }

    private static byte[] mutate(byte[] in, Random rnd) {
        byte[] b = in.clone();
        int mutations = 1 + rnd.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            if (b.length == 0) {
                return new byte[] {(byte) rnd.nextInt()};
            }
            int pos = rnd.nextInt(b.length);
            switch (rnd.nextInt(8)) {
                case 0 -> b[pos] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> b[pos] = (byte) rnd.nextInt();
                case 2 -> { // an extreme 32-bit length
                    int[] extremes = {0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0, 1, 0x10000};
                    int v = extremes[rnd.nextInt(extremes.length)];
                    for (int i = 0; i < 4 && pos + i < b.length; i++) {
                        b[pos + i] = (byte) (v >>> (8 * i));
                    }
                }
                case 3 -> { // an extreme 16-bit length
                    int v = rnd.nextBoolean() ? 0xFFFF : rnd.nextInt(0x10000);
                    b[pos] = (byte) v;
                    if (pos + 1 < b.length) {
                        b[pos + 1] = (byte) (v >>> 8);
                    }
                }
                case 4 -> b = Arrays.copyOf(b, pos); // truncate
                case 5 -> { // insert random bytes
                    byte[] ins = new byte[1 + rnd.nextInt(8)];
                    rnd.nextBytes(ins);
                    byte[] n = new byte[b.length + ins.length];
                    System.arraycopy(b, 0, n, 0, pos);
                    System.arraycopy(ins, 0, n, pos, ins.length);
                    System.arraycopy(b, pos, n, pos + ins.length, b.length - pos);
                    b = n;
                }
                case 6 -> { // duplicate a chunk (repeats items and headers)
                    int len = Math.min(b.length - pos, 1 + rnd.nextInt(32));
                    byte[] n = new byte[b.length + len];
                    System.arraycopy(b, 0, n, 0, pos + len);
                    System.arraycopy(b, pos, n, pos + len, b.length - pos);
                    b = n;
                }
                default -> { // item / delimiter tags in odd places
                    int[] tags = {Tag.Item, Tag.ItemDelimitationItem, Tag.SequenceDelimitationItem,
                            Tag.SpecificCharacterSet};
                    int t = tags[rnd.nextInt(tags.length)];
                    if (pos + 4 <= b.length) {
                        b[pos] = (byte) (t >>> 16);
                        b[pos + 1] = (byte) (t >>> 24);
                        b[pos + 2] = (byte) t;
                        b[pos + 3] = (byte) (t >>> 8);
                    }
                }
            }
        }
        return b;
    }

    @Test
    void onlyDicomCodecExceptionEscapesTheDecoder() throws Exception {
        List<Seed> seeds = seeds();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (int i = 0; i < ITERATIONS; i++) {
                long seed = 0x5EEDL * 1_000_003L + i;
                Random rnd = new Random(seed);
                Seed s = seeds.get(rnd.nextInt(seeds.size()));
                byte[] input = mutate(s.bytes(), rnd);
                long before = threads.getCurrentThreadAllocatedBytes();
                try {
                    Attributes decoded = s.part10() ? DicomFile.read(input).dataset() : DicomReader.read(input, s.ts());
                    // what decodes must re-encode and decode again
                    byte[] again = DicomWriter.write(decoded, s.ts());
                    DicomReader.read(again, s.ts());
                    outcomes[0]++;
                } catch (DicomCodecException expected) {
                    outcomes[1]++;
                } catch (Throwable t) {
                    throw new AssertionError("iteration " + i + " (seed " + seed + "), input "
                            + HexFormat.of().formatHex(input), t);
                }
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                assertThat(allocated).as("bytes allocated for a %d-byte input, seed %d", input.length, seed)
                        .isLessThan(MAX_ALLOCATION_PER_DECODE);
            }
        });
        // the mutator must exercise both paths, or it proves nothing
        assertThat(outcomes[0]).isGreaterThan(100);
        assertThat(outcomes[1]).isGreaterThan(100);
    }

    @Test
    void randomBytesNeverEscapeAsAnythingElse() {
        Random rnd = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] input = new byte[rnd.nextInt(64)];
            rnd.nextBytes(input);
            for (TransferSyntax ts : List.of(TransferSyntax.IMPLICIT_VR_LE, TransferSyntax.EXPLICIT_VR_LE)) {
                try {
                    DicomReader.read(input, ts);
                } catch (DicomCodecException expected) {
                    // fine
                }
            }
        }
    }
}
