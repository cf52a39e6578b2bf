package org.ofsep.mwl.hl7;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ofsep.mwl.core.domain.Patient;

/**
 * Parses an inbound message and says what it asks for: an order (ORM^O01, OMI^O23, OMG^O19), a demographics
 * update (ADT^A08, ADT^A31) or a patient merge (ADT^A40, A34, A18). Anything else is refused with AR (unsupported
 * type).
 */
public final class MessageParser {

    private final OrderParser orders;
    private final Set<String> processingIds;

    /**
     * @param siteZone      the site's time zone, to which times sent with an offset are converted (null: the system's)
     * @param processingIds the MSH-11 processing IDs applied ({@link Hl7Settings#processingIds}; null or empty:
     *                      production only)
     */
    public MessageParser(java.time.ZoneId siteZone, Set<String> processingIds) {
        this.orders = new OrderParser(siteZone);
        this.processingIds = processingIds == null || processingIds.isEmpty() ? Hl7Settings.PRODUCTION
                : Set.copyOf(processingIds);
    }

    /** Production messages only (MSH-11 P or absent). */
    public MessageParser(java.time.ZoneId siteZone) {
        this(siteZone, null);
    }

    /** Times sent with an offset are converted to the system's time zone. */
    public MessageParser() {
        this(null);
    }

    /**
     * @param text    the message text (Unicode)
     * @param charset its charset, for \Xhh\ escapes
     * @throws Hl7MessageException with the ACK code, error code and field to report
     */
    public Hl7Request parse(String text, Charset charset) {
        Hl7Document doc = Hl7Document.parse(text, charset);
        MshHeader msh = doc.header();
        if (msh.controlId() == null) {
            throw new Hl7MessageException("AR", Hl7MessageException.REQUIRED_FIELD_MISSING, "MSH-10",
                    "required field MSH-10 (message control ID) is missing");
        }
        // MSH-9 and its trigger event: checked by Hl7Document.parse, before HAPI reads the message
        String processing = msh.processingId() == null ? "P" : msh.processingId().toUpperCase(Locale.ROOT);
        if (!processingIds.contains(processing)) {
            // a training or debugging message from a RIS test environment must never reach a console
            throw new Hl7MessageException("AR", Hl7MessageException.UNSUPPORTED_PROCESSING_ID, "MSH-11",
                    "processing ID " + msh.processingId() + " in MSH-11 is not applied here (hl7.processingIds: "
                            + String.join(", ", new java.util.TreeSet<>(processingIds)) + ")");
        }
        String code = msh.messageCode().toUpperCase(Locale.ROOT);
        String trigger = msh.triggerEvent() == null ? "" : msh.triggerEvent().toUpperCase(Locale.ROOT);
        switch (code + "^" + trigger) {
            case "ORM^O01", "OMI^O23", "OMG^O19":
                return new Hl7Request.Order(orders.parse(doc));
            case "ADT^A08", "ADT^A31": {
                // an update without a name would leave the pending items without Patient's Name (type 1)
                Patient patient = named(PatientFields.fromPid(requirePid(doc)), "patient name");
                return new Hl7Request.PatientUpdate(patient);
            }
            case "ADT^A40", "ADT^A34", "ADT^A18":
                // A34 (patient ID only) and A18 (patient information), which RIS still send in 2.3/2.3.1, carry
                // the same PID and MRG: the old identifier into the surviving one
                return merge(doc);
            default:
                break;
        }
        // a type the gateway reads with another event (ORM^O02, OMI^O24, ADT^A01): 201, the event; else 200, the type
        String events = switch (code) {
            case "ADT" -> "A08, A31, A40, A34, A18";
            case "ORM" -> "O01";
            case "OMI" -> "O23";
            case "OMG" -> "O19";
            default -> null;
        };
        if (events != null) {
            throw new Hl7MessageException("AR", Hl7MessageException.UNSUPPORTED_EVENT_CODE, "MSH-9",
                    "event " + code + "^" + trigger + " is not supported (" + events + ")");
        }
        throw new Hl7MessageException("AR", Hl7MessageException.UNSUPPORTED_MESSAGE_TYPE, "MSH-9",
                "message type " + msh.messageType() + " is not supported (ORM^O01, OMI^O23, OMG^O19, ADT^A08/A31/A40/A34/A18)");
    }

    /** The patient, whose name (PID-5) must be there and fit DICOM PN. */
    private static Patient named(Patient patient, String what) {
        if (patient.name() == null) {
            throw Hl7MessageException.missingField("PID-5", what);
        }
        DicomLimits.personName(patient.name(), "PID-5", "Patient's Name (0010,0010)");
        return patient;
    }

    private static Hl7Segment requirePid(Hl7Document doc) {
        return doc.first("PID").orElseThrow(() -> Hl7MessageException.missingField("PID-3",
                "patient identifier; the message has no PID segment"));
    }

    /** A40: each PID (the surviving patient) is followed by the MRG naming the identifier merged into it. */
    private static Hl7Request merge(Hl7Document doc) {
        List<Hl7Request.Merge> merges = new ArrayList<>();
        Patient survivor = null;
        for (Hl7Segment seg : doc.segments()) {
            if (seg.name().equals("PID")) {
                // the moved items take the survivor's name: without one they would keep the old patient's under
                // the surviving ID, and the survivor's own items another name
                survivor = named(PatientFields.fromPid(seg), "patient name of the surviving patient");
            } else if (seg.name().equals("MRG")) {
                if (survivor == null) {
                    throw Hl7MessageException.missingField("PID-3", "surviving patient identifier before MRG");
                }
                Hl7Segment.Hl7Field old = PatientFields.pickIdentifier(seg.repetitions(1));
                if (old == null) {
                    throw Hl7MessageException.missingField("MRG-1", "prior patient identifier");
                }
                String issuer = old.value(4, 1) != null ? old.value(4, 1) : old.value(4, 2);
                merges.add(new Hl7Request.Merge(survivor, old.value(1), issuer));
            }
        }
        if (survivor == null) {
            throw Hl7MessageException.missingField("PID-3", "patient identifier; the message has no PID segment");
        }
        if (merges.isEmpty()) {
            throw Hl7MessageException.missingField("MRG-1", "prior patient identifier; the A40 has no MRG segment");
        }
        return new Hl7Request.PatientMerge(merges);
    }
}
