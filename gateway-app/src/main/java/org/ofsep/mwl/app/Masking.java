package org.ofsep.mwl.app;

/** How the board and reports show patient identity by default: initials and a masked ID. */
public final class Masking {
    private Masking() {
    }

    /** "PAT1001" → "PAT***01": enough to tell two rows apart at the console, not enough to identify. */
    public static String patientId(String id) {
        if (id == null || id.isEmpty()) {
            return "";
        }
        if (id.length() <= 4) {
            return "*".repeat(id.length());
        }
        return id.substring(0, 3) + "***" + id.substring(id.length() - 2);
    }

    /** "DUPRÉ^HÉLÈNE" → "D.H." */
    public static String initials(String dicomName) {
        if (dicomName == null || dicomName.isBlank()) {
            return "";
        }
        String[] parts = dicomName.split("\\^");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(parts.length, 2); i++) {
            String part = parts[i].trim();
            if (!part.isEmpty()) {
                out.appendCodePoint(Character.toUpperCase(part.codePointAt(0))).append('.');
            }
        }
        return out.toString();
    }
}
