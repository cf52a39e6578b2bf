package org.ofsep.mwl.dicom.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The standard data dictionary: VR and keyword of a tag. Needed to decode Implicit VR Little Endian, where the VR
 * is not on the wire. Loaded once from {@code dictionary.tsv}, which is GENERATED from dcmtk's dicom.dic by
 * gateway-dicom/src/build/GenerateDictionary.java (see there how to regenerate).
 */
public final class ElementDictionary {

    private record Entry(VR vr, String vm, String keyword, boolean retired) {
    }

    private static final Map<Integer, Entry> BY_TAG = new HashMap<>(8192);
    private static final Map<String, Integer> BY_KEYWORD = new HashMap<>(8192);

    static {
        try (InputStream in = ElementDictionary.class.getResourceAsStream("dictionary.tsv")) {
            if (in == null) {
                throw new IllegalStateException("dictionary.tsv missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty() || line.charAt(0) == '#') {
                    continue;
                }
                String[] f = line.split("\t", -1);
                int tag = Integer.parseUnsignedInt(f[0], 16);
                VR vr = VR.fromCode(f[1]);
                Entry e = new Entry(vr == null ? VR.UN : vr, f[2], f[3], f.length > 4 && "R".equals(f[4]));
                BY_TAG.put(tag, e);
                BY_KEYWORD.put(e.keyword, tag);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ElementDictionary() {
    }

    /**
     * The VR of a tag for implicit-VR decoding: the dictionary's, UL for group lengths, LO for private creators,
     * UN for anything unknown (private or newer than the dictionary).
     */
    public static VR vrOf(int tag) {
        Entry e = BY_TAG.get(tag);
        if (e != null) {
            return e.vr;
        }
        if (Tag.isGroupLength(tag)) {
            return VR.UL;
        }
        int element = Tag.element(tag);
        if (Tag.isPrivate(tag) && element >= 0x0010 && element <= 0x00FF) {
            return VR.LO;
        }
        int group = Tag.group(tag);
        if ((group & 0xFF00) == 0x6000 || (group & 0xFF00) == 0x5000) {
            return overlayOrCurve(tag);
        }
        return VR.UN;
    }

    /** Repeating groups 50xx/60xx share the VR of their 5000/6000 entry (PS3.6 section 7.6). */
    private static VR overlayOrCurve(int tag) {
        int base = tag & 0xFF00FFFF;
        if (base == 0x60003000 || base == 0x5000200C || base == 0x50003000) {
            return VR.OW;
        }
        return switch (base) {
            case 0x60000010, 0x60000011, 0x60000051, 0x60000100, 0x60000102 -> VR.US;
            case 0x60000015 -> VR.IS;
            case 0x60000022, 0x60000045 -> VR.LO;
            case 0x60000040 -> VR.CS;
            case 0x60000050 -> VR.SS;
            default -> VR.UN;
        };
    }

    /** The PS3.6 keyword (e.g. "PatientName"), or null for a tag not in the dictionary. */
    public static String keywordOf(int tag) {
        Entry e = BY_TAG.get(tag);
        return e == null ? null : e.keyword;
    }

    /** The value multiplicity as PS3.6 gives it ("1", "1-n"...), or null. */
    public static String vmOf(int tag) {
        Entry e = BY_TAG.get(tag);
        return e == null ? null : e.vm;
    }

    /** The tag of a keyword, or -1 when unknown. */
    public static int tagOf(String keyword) {
        Integer tag = BY_KEYWORD.get(keyword);
        return tag == null ? -1 : tag;
    }

    public static boolean contains(int tag) {
        return BY_TAG.containsKey(tag);
    }

    public static boolean isRetired(int tag) {
        Entry e = BY_TAG.get(tag);
        return e != null && e.retired;
    }

    /** Number of entries, for tests and diagnostics. */
    public static int size() {
        return BY_TAG.size();
    }
}
