package org.ofsep.mwl.dicom.data;

/**
 * The value representations of PS3.5 section 6.2, with what the codec needs to know about each: how the
 * explicit-VR header is laid out (PS3.5 7.1.2), how values are padded to an even length, how long a value may be,
 * and how values are held in {@link Attributes}.
 */
public enum VR {
    AE(Kind.STRING, false, ' ', 16),
    AS(Kind.STRING, false, ' ', 4),
    AT(Kind.BINARY, false, 0, 4),
    CS(Kind.STRING, false, ' ', 16),
    DA(Kind.STRING, false, ' ', 8),
    DS(Kind.STRING, false, ' ', 16),
    DT(Kind.STRING, false, ' ', 26),
    FD(Kind.BINARY, false, 0, 8),
    FL(Kind.BINARY, false, 0, 4),
    IS(Kind.STRING, false, ' ', 12),
    LO(Kind.STRING, false, ' ', 64),
    LT(Kind.TEXT, false, ' ', 10240),
    OB(Kind.BYTES, true, 0, -1),
    OD(Kind.BYTES, true, 0, -1),
    OF(Kind.BYTES, true, 0, -1),
    OL(Kind.BYTES, true, 0, -1),
    OV(Kind.BYTES, true, 0, -1),
    OW(Kind.BYTES, true, 0, -1),
    PN(Kind.STRING, false, ' ', 64),
    SH(Kind.STRING, false, ' ', 16),
    SL(Kind.BINARY, false, 0, 4),
    SQ(Kind.SEQUENCE, true, 0, -1),
    SS(Kind.BINARY, false, 0, 2),
    ST(Kind.TEXT, false, ' ', 1024),
    SV(Kind.BINARY, true, 0, 8),
    TM(Kind.STRING, false, ' ', 14),
    UC(Kind.STRING, true, ' ', -1),
    UI(Kind.STRING, false, 0, 64),
    UL(Kind.BINARY, false, 0, 4),
    UN(Kind.BYTES, true, 0, -1),
    UR(Kind.TEXT, true, ' ', -1),
    US(Kind.BINARY, false, 0, 2),
    UT(Kind.TEXT, true, ' ', -1),
    UV(Kind.BINARY, true, 0, 8);

    /** How a VR's values are held in {@link Attributes}. */
    public enum Kind {
        /** Character strings, multi-valued with backslash separators; held as decoded {@code String[]}. */
        STRING,
        /** Single-valued text (LT, ST, UT, UR): backslash is an ordinary character; held as {@code String[1]}. */
        TEXT,
        /** Fixed-size binary numbers (US, SS, UL, SL, FL, FD, AT, SV, UV); held as little-endian bytes. */
        BINARY,
        /** Opaque byte strings (OB, OW, OD, OF, OL, OV, UN); held as little-endian bytes. */
        BYTES,
        /** Sequence of items; held as {@code List<Attributes>}. */
        SEQUENCE
    }

    private final Kind kind;
    private final boolean longHeader;
    private final byte padding;
    private final int maxLength;

    VR(Kind kind, boolean longHeader, int padding, int maxLength) {
        this.kind = kind;
        this.longHeader = longHeader;
        this.padding = (byte) padding;
        this.maxLength = maxLength;
    }

    public Kind kind() {
        return kind;
    }

    /** Character string VRs (multi-valued or text). */
    public boolean isString() {
        return kind == Kind.STRING || kind == Kind.TEXT;
    }

    /**
     * Explicit VR header form: true for the 12-byte header (VR, 2 reserved bytes, 4-byte length: OB, OD, OF, OL,
     * OV, OW, SQ, SV, UC, UN, UR, UT, UV), false for the 8-byte header with a 2-byte length.
     */
    public boolean hasLongHeader() {
        return longHeader;
    }

    /** The byte that pads a value to an even length: NUL for UI and binary VRs, space for text. */
    public byte paddingByte() {
        return padding;
    }

    /**
     * Maximum length of one value: characters for string VRs (PS3.5 Table 6.2-1), bytes for fixed-size binary VRs;
     * -1 when only limited by the length field.
     */
    public int maxLength() {
        return maxLength;
    }

    /** Size in bytes of one binary value (US 2, UL 4, FD 8, AT 4...), 0 for other kinds. */
    public int bytesPerValue() {
        return kind == Kind.BINARY ? maxLength : 0;
    }

    /** True when values are encoded with the Specific Character Set (PS3.5 6.1.2.3): SH, LO, ST, LT, PN, UC, UT. */
    public boolean usesSpecificCharacterSet() {
        return switch (this) {
            case SH, LO, ST, LT, PN, UC, UT -> true;
            default -> false;
        };
    }

    /** True when leading spaces of a value are insignificant and dropped on reading (PS3.5 Table 6.2-1). */
    boolean leadingSpacesInsignificant() {
        return switch (this) {
            case AE, CS, DS, IS, LO, SH, DA, TM, DT, AS -> true;
            default -> false;
        };
    }

    /** The VR whose two-character code is {@code c1 c2}, or null when none is defined. */
    public static VR fromCode(int c1, int c2) {
        if (c1 < 'A' || c1 > 'Z' || c2 < 'A' || c2 > 'Z') {
            return null;
        }
        return BY_CODE[(c1 - 'A') * 26 + (c2 - 'A')];
    }

    /** The VR of a code such as "PN", or null. */
    public static VR fromCode(String code) {
        return code == null || code.length() != 2 ? null : fromCode(code.charAt(0), code.charAt(1));
    }

    private static final VR[] BY_CODE = new VR[26 * 26];

    static {
        for (VR vr : values()) {
            BY_CODE[(vr.name().charAt(0) - 'A') * 26 + (vr.name().charAt(1) - 'A')] = vr;
        }
    }
}
