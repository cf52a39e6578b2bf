package org.ofsep.mwl.hl7.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;

/** Test messages under src/test/resources/hl7/: stored with LF line ends for reading, sent with CR as HL7 wants. */
public final class Hl7Files {

    private Hl7Files() {
    }

    /** The file's bytes with each LF turned into the HL7 segment separator CR (bytes otherwise untouched). */
    public static byte[] bytes(String name) {
        try (InputStream in = Hl7Files.class.getResourceAsStream("/hl7/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test message " + name);
            }
            byte[] raw = in.readAllBytes();
            int len = raw.length;
            while (len > 0 && (raw[len - 1] == '\n' || raw[len - 1] == '\r')) {
                len--;
            }
            byte[] out = new byte[len];
            for (int i = 0; i < len; i++) {
                out[i] = raw[i] == '\n' ? (byte) '\r' : raw[i];
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String name, Charset charset) {
        return new String(bytes(name), charset);
    }
}
