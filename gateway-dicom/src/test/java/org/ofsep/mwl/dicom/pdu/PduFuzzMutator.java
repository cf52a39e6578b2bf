package org.ofsep.mwl.dicom.pdu;

import java.util.List;
import java.util.Random;

/** The seeded mutator of the PDU fuzz tests: bit flips, byte changes, extreme lengths, truncation, splicing. */
public final class PduFuzzMutator {
    private PduFuzzMutator() {
    }

    public static byte[] mutate(byte[] seed, List<byte[]> corpus, Random r) {
        byte[] b = seed.clone();
        int ops = 1 + r.nextInt(4);
        for (int k = 0; k < ops; k++) {
            switch (r.nextInt(6)) {
                case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                case 2 -> { // overwrite a 2- or 4-byte length-like field with an extreme value
                    int at = r.nextInt(Math.max(1, b.length - 4));
                    int v = switch (r.nextInt(4)) {
                        case 0 -> 0;
                        case 1 -> 0xFFFFFFFF;
                        case 2 -> 0x7FFFFFFF;
                        default -> r.nextInt();
                    };
                    for (int j = 0; j < 4 && at + j < b.length; j++) {
                        b[at + j] = (byte) (v >>> (24 - 8 * j));
                    }
                }
                case 3 -> b = java.util.Arrays.copyOf(b, Math.max(1, r.nextInt(b.length + 1)));
                case 4 -> { // splice the tail of another PDU
                    byte[] other = corpus.get(r.nextInt(corpus.size()));
                    int cut = r.nextInt(b.length);
                    int from = r.nextInt(other.length);
                    byte[] out = new byte[cut + other.length - from];
                    System.arraycopy(b, 0, out, 0, cut);
                    System.arraycopy(other, from, out, cut, other.length - from);
                    b = out;
                }
                default -> { // keep the header consistent with the (mutated) body so the body parser is exercised
                    if (b.length >= 6) {
                        int len = b.length - 6;
                        b[2] = (byte) (len >>> 24);
                        b[3] = (byte) (len >>> 16);
                        b[4] = (byte) (len >>> 8);
                        b[5] = (byte) len;
                    }
                }
            }
            if (b.length == 0) {
                b = new byte[] {1};
            }
        }
        return b;
    }
}
