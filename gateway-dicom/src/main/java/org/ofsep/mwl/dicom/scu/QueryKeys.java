package org.ofsep.mwl.dicom.scu;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.ElementDictionary;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.VR;

/**
 * Builds C-FIND identifiers from key expressions written as for dcmtk's {@code findscu -k}:
 * {@code PatientName=DUP*}, {@code PatientID} (empty: return key), {@code (0010,0020)=123} or {@code 0010,0020=123},
 * {@code ScheduledProcedureStepSequence[0].Modality=MR} (sequence items by index, nested as deep as needed).
 */
public final class QueryKeys {

    private QueryKeys() {
    }

    /** Applies each expression in order to {@code identifier} and returns it. */
    public static Attributes apply(Attributes identifier, List<String> expressions) {
        for (String e : expressions) {
            apply(identifier, e);
        }
        return identifier;
    }

    public static Attributes parse(List<String> expressions) {
        return apply(new Attributes(), expressions);
    }

    /**
     * The keys a scanner console typically sends for its own worklist: the patient and order keys as return keys,
     * and in the SPS item its own AE title, the date ({@code null} for any date) and the modality.
     */
    public static Attributes console(String stationAeTitle, LocalDate date, String modality) {
        Attributes k = new Attributes();
        for (int tag : new int[] {Tag.SpecificCharacterSet, Tag.AccessionNumber, Tag.ReferringPhysicianName,
                Tag.PatientName, Tag.PatientID, Tag.IssuerOfPatientID, Tag.PatientBirthDate, Tag.PatientSex,
                Tag.PatientWeight, Tag.MedicalAlerts, Tag.StudyInstanceUID, Tag.RequestedProcedureID,
                Tag.RequestedProcedureDescription, Tag.ReasonForTheRequestedProcedure}) {
            k.setEmpty(tag);
        }
        k.addItem(Tag.RequestedProcedureCodeSequence).setEmpty(Tag.CodeValue);
        Attributes sps = k.addItem(Tag.ScheduledProcedureStepSequence);
        setOrEmpty(sps, Tag.ScheduledStationAETitle, stationAeTitle);
        setOrEmpty(sps, Tag.ScheduledProcedureStepStartDate, date == null ? null : date.format(DateTimeFormatter.BASIC_ISO_DATE));
        sps.setEmpty(Tag.ScheduledProcedureStepStartTime);
        setOrEmpty(sps, Tag.Modality, modality);
        sps.setEmpty(Tag.ScheduledProcedureStepID);
        sps.setEmpty(Tag.ScheduledProcedureStepDescription);
        Attributes code = sps.addItem(Tag.ScheduledProtocolCodeSequence);
        code.setEmpty(Tag.CodeValue);
        code.setEmpty(Tag.CodingSchemeDesignator);
        code.setEmpty(Tag.CodeMeaning);
        return k;
    }

    private static void setOrEmpty(Attributes a, int tag, String value) {
        if (value == null || value.isEmpty()) {
            a.setEmpty(tag);
        } else {
            a.setString(tag, value);
        }
    }

    /** Applies one expression; throws IllegalArgumentException with a readable message when it is not valid. */
    public static void apply(Attributes identifier, String expression) {
        int eq = expression.indexOf('=');
        String path = (eq < 0 ? expression : expression.substring(0, eq)).trim();
        String value = eq < 0 ? "" : expression.substring(eq + 1);
        String[] steps = path.split("\\.(?![^()]*\\))");
        Attributes current = identifier;
        for (int i = 0; i < steps.length; i++) {
            String step = steps[i];
            int index = -1;
            int bracket = step.indexOf('[');
            if (bracket >= 0) {
                if (!step.endsWith("]")) {
                    throw new IllegalArgumentException("bad item index in '" + expression + "'");
                }
                index = Integer.parseInt(step.substring(bracket + 1, step.length() - 1));
                step = step.substring(0, bracket);
            }
            int tag = tag(step, expression);
            boolean last = i == steps.length - 1;
            if (last && index < 0) {
                VR vr = ElementDictionary.vrOf(tag);
                if (vr == VR.SQ) {
                    if (!value.isEmpty()) {
                        throw new IllegalArgumentException("a sequence takes no value: '" + expression + "'");
                    }
                    if (current.getSequence(tag) == null) {
                        current.newSequence(tag);
                    }
                } else if (value.isEmpty()) {
                    current.setEmpty(tag);
                } else {
                    current.setString(tag, value.split("\\\\", -1));
                }
                return;
            }
            if (ElementDictionary.vrOf(tag) != VR.SQ) {
                throw new IllegalArgumentException(step + " is not a sequence in '" + expression + "'");
            }
            List<Attributes> items = current.getSequence(tag);
            if (items == null) {
                items = current.newSequence(tag);
            }
            int want = Math.max(0, index);
            while (items.size() <= want) {
                current.addItem(tag);
                items = current.getSequence(tag);
            }
            current = items.get(want);
        }
    }

    private static int tag(String name, String expression) {
        String s = name.trim();
        if (s.startsWith("(") && s.endsWith(")")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.matches("[0-9A-Fa-f]{4},[0-9A-Fa-f]{4}")) {
            return (Integer.parseInt(s.substring(0, 4), 16) << 16) | Integer.parseInt(s.substring(5), 16);
        }
        int tag = ElementDictionary.tagOf(s);
        if (tag < 0) {
            throw new IllegalArgumentException("unknown attribute '" + name + "' in '" + expression + "'");
        }
        return tag;
    }
}
