package org.ofsep.mwl.dicom.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A DICOM dataset (or command set, or sequence item): data elements ordered by tag, each with its VR and value.
 *
 * <p>Values are held as: decoded {@code String[]} for character string VRs (decoded with the dataset's Specific
 * Character Set when read, padding removed), little-endian bytes for binary and opaque VRs, a mutable
 * {@code List<Attributes>} for SQ. An element present with zero length (a C-FIND return key asked for, or a type 2
 * attribute without value) is distinct from an absent one: {@link #contains} is true, {@link #containsValue} false.
 *
 * <p>Not thread-safe; one dataset belongs to one message being built or parsed.
 */
public final class Attributes {

    private static final String[] NO_STRINGS = new String[0];
    private static final byte[] NO_BYTES = new byte[0];

    /** One data element. The value object is owned by the dataset; see the class comment for its type. */
    static final class Element {
        final int tag;
        final VR vr;
        final Object value;

        Element(int tag, VR vr, Object value) {
            this.tag = tag;
            this.vr = vr;
            this.value = value;
        }

        boolean isEmpty() {
            if (value instanceof String[] s) {
                return s.length == 0 || (s.length == 1 && s[0].isEmpty());
            }
            if (value instanceof byte[] b) {
                return b.length == 0;
            }
            if (value instanceof List<?> l) {
                return l.isEmpty();
            }
            return true;
        }
    }

    private final TreeMap<Integer, Element> elements = new TreeMap<>(Integer::compareUnsigned);

    public Attributes() {
    }

    /** Deep copy of {@code other}. */
    public Attributes(Attributes other) {
        addAll(other);
    }

    // ---------------------------------------------------------------- presence

    public int size() {
        return elements.size();
    }

    public boolean isEmpty() {
        return elements.isEmpty();
    }

    /** The element is present, with or without a value. */
    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    /** The element is present and has a non-empty value (a sequence with at least one item). */
    public boolean containsValue(int tag) {
        Element e = elements.get(tag);
        return e != null && !e.isEmpty();
    }

    /** The VR of a present element, or null. */
    public VR getVR(int tag) {
        Element e = elements.get(tag);
        return e == null ? null : e.vr;
    }

    /** Tags of the present elements, in ascending (unsigned) order. */
    public int[] tags() {
        int[] tags = new int[elements.size()];
        int i = 0;
        for (Integer t : elements.keySet()) {
            tags[i++] = t;
        }
        return tags;
    }

    /** Removes an element; true when it was present. */
    public boolean remove(int tag) {
        return elements.remove(tag) != null;
    }

    Iterable<Element> elements() {
        return elements.values();
    }

    Element element(int tag) {
        return elements.get(tag);
    }

    void put(int tag, VR vr, Object value) {
        elements.put(tag, new Element(tag, vr, value));
    }

    // ---------------------------------------------------------------- strings

    /**
     * The first value of a string element (binary numbers are given in decimal), or null when absent or empty.
     */
    public String getString(int tag) {
        String[] values = getStrings(tag);
        return values == null || values.length == 0 || values[0].isEmpty() ? null : values[0];
    }

    public String getString(int tag, String defaultValue) {
        String s = getString(tag);
        return s == null ? defaultValue : s;
    }

    /**
     * All values of an element: an empty array when present with zero length, null when absent or a sequence.
     * Binary numbers are given in decimal, AT as "ggggeeee".
     */
    public String[] getStrings(int tag) {
        Element e = elements.get(tag);
        if (e == null) {
            return null;
        }
        if (e.value instanceof String[] s) {
            return s.clone();
        }
        if (e.vr.kind() == VR.Kind.BINARY && e.value instanceof byte[] b) {
            return binaryToStrings(e.vr, b);
        }
        return e.vr == VR.SQ ? null : NO_STRINGS;
    }

    /**
     * Sets a character string element. No values (or a single null) gives a zero-length element. Values are kept
     * as given (Unicode); the writer encodes them with the Specific Character Set and pads them.
     */
    public Attributes setString(int tag, VR vr, String... values) {
        if (!vr.isString()) {
            if (vr.kind() == VR.Kind.BINARY && values != null) {
                return setBinaryFromStrings(tag, vr, values);
            }
            throw new IllegalArgumentException("Not a string VR: " + vr + " for " + Tag.toString(tag));
        }
        String[] v;
        if (values == null || values.length == 0 || (values.length == 1 && (values[0] == null || values[0].isEmpty()))) {
            v = NO_STRINGS;
        } else if (vr.kind() == VR.Kind.TEXT) {
            v = new String[] {values.length == 1 ? values[0] : String.join("\\", nullsAsEmpty(values))};
        } else {
            v = nullsAsEmpty(values);
        }
        put(tag, vr, v);
        return this;
    }

    /** A copy of {@code values} with null as "" (the caller's array is never kept). */
    private static String[] nullsAsEmpty(String[] values) {
        String[] v = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            v[i] = values[i] == null ? "" : values[i];
        }
        return v;
    }

    /** Sets a character string element with the dictionary's VR. */
    public Attributes setString(int tag, String... values) {
        return setString(tag, dictionaryVR(tag), values);
    }

    /** Sets a present, zero-length element (a type 2 attribute without value, a C-FIND return key). */
    public Attributes setEmpty(int tag, VR vr) {
        if (vr == VR.SQ) {
            put(tag, vr, new ArrayList<Attributes>());
        } else if (vr.isString()) {
            put(tag, vr, NO_STRINGS);
        } else {
            put(tag, vr, NO_BYTES);
        }
        return this;
    }

    public Attributes setEmpty(int tag) {
        return setEmpty(tag, dictionaryVR(tag));
    }

    // ---------------------------------------------------------------- numbers

    /**
     * The first value as an int: US and UL unsigned (UL above 2^31 wraps, use {@link #getLong}), SS, SL, AT,
     * and IS or DS parsed; {@code defaultValue} when absent, empty or unparsable.
     */
    public int getInt(int tag, int defaultValue) {
        long[] v = getLongs(tag);
        return v == null || v.length == 0 ? defaultValue : (int) v[0];
    }

    public long getLong(int tag, long defaultValue) {
        long[] v = getLongs(tag);
        return v == null || v.length == 0 ? defaultValue : v[0];
    }

    /** All values as ints, null when absent or not numeric. */
    public int[] getInts(int tag) {
        long[] v = getLongs(tag);
        if (v == null) {
            return null;
        }
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (int) v[i];
        }
        return r;
    }

    private long[] getLongs(int tag) {
        Element e = elements.get(tag);
        if (e == null) {
            return null;
        }
        if (e.value instanceof byte[] b && e.vr.kind() == VR.Kind.BINARY) {
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            int n = b.length / e.vr.bytesPerValue();
            long[] r = new long[n];
            for (int i = 0; i < n; i++) {
                r[i] = switch (e.vr) {
                    case US -> bb.getShort() & 0xFFFF;
                    case SS -> bb.getShort();
                    case UL -> bb.getInt() & 0xFFFFFFFFL;
                    case SL -> bb.getInt();
                    case AT -> ((bb.getShort() & 0xFFFFL) << 16) | (bb.getShort() & 0xFFFF);
                    case FL -> (long) bb.getFloat();
                    case FD -> (long) bb.getDouble();
                    default -> bb.getLong(); // SV, UV
                };
            }
            return r;
        }
        if (e.value instanceof String[] s && (e.vr == VR.IS || e.vr == VR.DS)) {
            List<Long> r = new ArrayList<>();
            for (String v : s) {
                try {
                    r.add(e.vr == VR.IS ? Long.parseLong(v.strip()) : (long) Double.parseDouble(v.strip()));
                } catch (NumberFormatException ex) {
                    return null;
                }
            }
            return r.stream().mapToLong(Long::longValue).toArray();
        }
        return null;
    }

    /** Sets US, SS, UL, SL, AT (tags as ints) or IS values. */
    public Attributes setInt(int tag, VR vr, int... values) {
        if (vr == VR.IS || vr == VR.DS) {
            return setString(tag, vr, Arrays.stream(values).mapToObj(Integer::toString).toArray(String[]::new));
        }
        int size = vr.bytesPerValue();
        if (vr.kind() != VR.Kind.BINARY || size > 4 || vr == VR.FL) {
            throw new IllegalArgumentException("Not an integer VR: " + vr + " for " + Tag.toString(tag));
        }
        ByteBuffer bb = ByteBuffer.allocate(values.length * size).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            switch (vr) {
                case US, SS -> bb.putShort((short) v);
                case AT -> bb.putShort((short) (v >>> 16)).putShort((short) v);
                default -> bb.putInt(v);
            }
        }
        put(tag, vr, bb.array());
        return this;
    }

    /** Sets an integer element with the dictionary's VR. */
    public Attributes setInt(int tag, int... values) {
        return setInt(tag, dictionaryVR(tag), values);
    }

    /** The first value as a double (FL, FD, DS, IS, integers), or {@code defaultValue}. */
    public double getDouble(int tag, double defaultValue) {
        Element e = elements.get(tag);
        if (e == null || e.isEmpty()) {
            return defaultValue;
        }
        if (e.value instanceof byte[] b && (e.vr == VR.FL || e.vr == VR.FD)) {
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            if (b.length < e.vr.bytesPerValue()) {
                return defaultValue;
            }
            return e.vr == VR.FL ? bb.getFloat() : bb.getDouble();
        }
        if (e.value instanceof String[] s) {
            try {
                return Double.parseDouble(s[0].strip());
            } catch (NumberFormatException ex) {
                return defaultValue;
            }
        }
        long[] l = getLongs(tag);
        return l == null || l.length == 0 ? defaultValue : l[0];
    }

    /** Sets FL, FD or DS values (DS written in at most 16 characters). */
    public Attributes setDouble(int tag, VR vr, double... values) {
        if (vr == VR.DS) {
            return setString(tag, vr, Arrays.stream(values).mapToObj(Attributes::formatDS).toArray(String[]::new));
        }
        if (vr != VR.FL && vr != VR.FD) {
            throw new IllegalArgumentException("Not a floating point VR: " + vr);
        }
        ByteBuffer bb = ByteBuffer.allocate(values.length * vr.bytesPerValue()).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            if (vr == VR.FL) {
                bb.putFloat((float) v);
            } else {
                bb.putDouble(v);
            }
        }
        put(tag, vr, bb.array());
        return this;
    }

    /** A decimal string of at most 16 characters (PS3.5 DS), without exponent when possible. */
    static String formatDS(double v) {
        String s = java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        if (s.length() <= 16) {
            return s;
        }
        s = String.format(java.util.Locale.ROOT, "%.10G", v).replaceAll("\\.?0+(E|$)", "$1");
        return s.length() <= 16 ? s : String.format(java.util.Locale.ROOT, "%.8E", v);
    }

    // ---------------------------------------------------------------- bytes

    /** The raw little-endian value bytes of a binary or opaque element (a copy), null when absent or a string. */
    public byte[] getBytes(int tag) {
        Element e = elements.get(tag);
        return e != null && e.value instanceof byte[] b ? b.clone() : null;
    }

    /** Sets a binary or opaque element from its little-endian bytes. */
    public Attributes setBytes(int tag, VR vr, byte[] value) {
        if (vr.isString() || vr == VR.SQ) {
            throw new IllegalArgumentException("Not a binary VR: " + vr);
        }
        put(tag, vr, value == null ? NO_BYTES : value.clone());
        return this;
    }

    // ---------------------------------------------------------------- sequences

    /** The items of a sequence element (live, mutable), or null when absent or not a sequence. */
    @SuppressWarnings("unchecked")
    public List<Attributes> getSequence(int tag) {
        Element e = elements.get(tag);
        return e != null && e.value instanceof List<?> l ? (List<Attributes>) l : null;
    }

    /** The {@code index}-th item of a sequence, or null. */
    public Attributes getItem(int tag, int index) {
        List<Attributes> seq = getSequence(tag);
        return seq == null || index < 0 || index >= seq.size() ? null : seq.get(index);
    }

    /** Creates (or replaces) a sequence element and returns its live, empty item list. */
    public List<Attributes> newSequence(int tag) {
        List<Attributes> items = new ArrayList<>();
        put(tag, VR.SQ, items);
        return items;
    }

    /** Appends a new empty item to the sequence (created when absent) and returns it. */
    public Attributes addItem(int tag) {
        List<Attributes> seq = getSequence(tag);
        if (seq == null) {
            seq = newSequence(tag);
        }
        Attributes item = new Attributes();
        seq.add(item);
        return item;
    }

    // ---------------------------------------------------------------- bulk

    /** Copies every element of {@code other} into this dataset (sequences deeply), replacing same tags. */
    public Attributes addAll(Attributes other) {
        for (Element e : other.elements.values()) {
            elements.put(e.tag, new Element(e.tag, e.vr, copyValue(e.value)));
        }
        return this;
    }

    /** Copies one element (deeply) from {@code other}, when present there; true when copied. */
    public boolean copyFrom(Attributes other, int tag) {
        Element e = other.elements.get(tag);
        if (e == null) {
            return false;
        }
        elements.put(tag, new Element(tag, e.vr, copyValue(e.value)));
        return true;
    }

    @SuppressWarnings("unchecked")
    private static Object copyValue(Object value) {
        if (value instanceof String[] s) {
            return s.clone();
        }
        if (value instanceof byte[] b) {
            return b.clone();
        }
        if (value instanceof List<?> l) {
            List<Attributes> copy = new ArrayList<>(l.size());
            for (Attributes item : (List<Attributes>) l) {
                copy.add(new Attributes(item));
            }
            return copy;
        }
        return value;
    }

    /**
     * The highest UTF-16 code unit in the values of the character string elements, sequence items included
     * (0 when there is none): what choosing a Specific Character Set for the dataset needs, without copying values.
     */
    @SuppressWarnings("unchecked")
    public char widestStringChar() {
        char widest = 0;
        for (Element e : elements.values()) {
            if (e.value instanceof List<?> items) {
                for (Attributes item : (List<Attributes>) items) {
                    char c = item.widestStringChar();
                    if (c > widest) {
                        widest = c;
                    }
                }
            } else if (e.vr.isString() && e.value instanceof String[] values) {
                for (String v : values) {
                    for (int i = 0; i < v.length(); i++) {
                        char c = v.charAt(i);
                        if (c > widest) {
                            widest = c;
                        }
                    }
                }
            }
        }
        return widest;
    }

    /** The Specific Character Set this dataset declares, or {@code inherited} when it declares none. */
    public SpecificCharacterSet specificCharacterSet(SpecificCharacterSet inherited)
            throws UnsupportedCharacterSetException {
        Element e = elements.get(Tag.SpecificCharacterSet);
        if (e == null || !(e.value instanceof String[] s)) {
            return inherited;
        }
        return SpecificCharacterSet.of(s);
    }

    // ---------------------------------------------------------------- helpers

    private static VR dictionaryVR(int tag) {
        VR vr = ElementDictionary.vrOf(tag);
        if (vr == VR.UN) {
            throw new IllegalArgumentException("No dictionary VR for " + Tag.toString(tag) + ": give the VR");
        }
        return vr;
    }

    private static String[] binaryToStrings(VR vr, byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int n = b.length / vr.bytesPerValue();
        String[] r = new String[n];
        for (int i = 0; i < n; i++) {
            r[i] = switch (vr) {
                case US -> Integer.toString(bb.getShort() & 0xFFFF);
                case SS -> Short.toString(bb.getShort());
                case UL -> Long.toString(bb.getInt() & 0xFFFFFFFFL);
                case SL -> Integer.toString(bb.getInt());
                case FL -> Float.toString(bb.getFloat());
                case FD -> Double.toString(bb.getDouble());
                case AT -> String.format("%04X%04X", bb.getShort() & 0xFFFF, bb.getShort() & 0xFFFF);
                case SV -> Long.toString(bb.getLong());
                default -> Long.toUnsignedString(bb.getLong()); // UV
            };
        }
        return r;
    }

    private Attributes setBinaryFromStrings(int tag, VR vr, String[] values) {
        switch (vr) {
            case FL, FD -> {
                return setDouble(tag, vr, Arrays.stream(values).mapToDouble(Double::parseDouble).toArray());
            }
            case AT -> {
                return setInt(tag, vr, Arrays.stream(values).mapToInt(s -> Integer.parseUnsignedInt(s, 16)).toArray());
            }
            case SV, UV -> {
                ByteBuffer bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                for (String s : values) {
                    bb.putLong(vr == VR.UV ? Long.parseUnsignedLong(s) : Long.parseLong(s));
                }
                put(tag, vr, bb.array());
                return this;
            }
            default -> {
                return setInt(tag, vr, Arrays.stream(values).mapToLong(Long::parseLong).mapToInt(l -> (int) l).toArray());
            }
        }
    }

    // ---------------------------------------------------------------- object

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Attributes other) || other.elements.size() != elements.size()) {
            return false;
        }
        for (Map.Entry<Integer, Element> en : elements.entrySet()) {
            Element a = en.getValue();
            Element b = other.elements.get(en.getKey());
            if (b == null || a.vr != b.vr || !valueEquals(a.value, b.value)) {
                return false;
            }
        }
        return true;
    }

    private static boolean valueEquals(Object a, Object b) {
        if (a instanceof String[] x && b instanceof String[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        return Objects.equals(a, b);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (Element e : elements.values()) {
            h = 31 * h + e.tag;
            h = 31 * h + e.vr.hashCode();
        }
        return h;
    }

    /** A dcmdump-like listing. Contains patient data: log it at DEBUG only. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        dump(sb, "");
        return sb.toString();
    }

    private void dump(StringBuilder sb, String indent) {
        for (Element e : elements.values()) {
            String kw = ElementDictionary.keywordOf(e.tag);
            sb.append(indent).append(Tag.toString(e.tag)).append(' ').append(e.vr).append(' ');
            if (e.value instanceof List<?> l) {
                sb.append("(Sequence with ").append(l.size()).append(" items) ").append(kw == null ? "" : kw).append('\n');
                int i = 0;
                for (Object item : l) {
                    sb.append(indent).append("  (Item #").append(++i).append(")\n");
                    ((Attributes) item).dump(sb, indent + "    ");
                }
                continue;
            }
            String[] s = getStrings(e.tag);
            String text = e.value instanceof String[] || e.vr.kind() == VR.Kind.BINARY
                    ? "[" + String.join("\\", s) + "]"
                    : "(" + ((byte[]) e.value).length + " bytes)";
            sb.append(text).append(' ').append(kw == null ? "" : kw).append('\n');
        }
    }
}
