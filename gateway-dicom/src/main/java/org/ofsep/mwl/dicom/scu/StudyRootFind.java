package org.ofsep.mwl.dicom.scu;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.UID;
import org.ofsep.mwl.dicom.dimse.Status;

/**
 * Study Root Query/Retrieve C-FIND (PS3.4 Annex C, SOP class 1.2.840.10008.5.1.4.1.2.2.1) as an SCU: one
 * patient's MR studies at STUDY level, then the MR series of each study at SERIES level, on one association.
 * Used to ask the PACS for a patient's previous MRIs.
 *
 * <p>STUDY level keys: Patient ID (single value), Modalities in Study {@code MR}, Study Date range; return keys
 * Study Instance UID, Study Date, Study Description, Accession Number, Issuer of Patient ID, Procedure Code
 * Sequence (when the SCP supports it). SERIES level keys: Study Instance UID (the hierarchical unique key of the
 * level above, PS3.4 C.4.1.2.1), Modality {@code MR}; return keys Series Instance UID, Series Description,
 * Protocol Name, MR Acquisition Type, Body Part Examined, Series Date, Manufacturer, Magnetic Field Strength.
 */
public final class StudyRootFind {

    /** One study's identifier as the SCP answered, with its series identifiers. */
    public record Study(Attributes attributes, List<Attributes> series) {
    }

    /** The final status was not Success: the PACS refused or failed the query. */
    public static final class FindFailedException extends IOException {
        public FindFailedException(String message) {
            super(message);
        }
    }

    private StudyRootFind() {
    }

    /** The STUDY level identifier. {@code studyDateRange} is a DA range ("20200101-20261204") or null. */
    public static Attributes studyKeys(String patientId, String studyDateRange, boolean procedureCodes) {
        Attributes k = new Attributes();
        k.setString(Tag.QueryRetrieveLevel, "STUDY");
        k.setString(Tag.PatientID, patientId);
        k.setEmpty(Tag.IssuerOfPatientID);
        k.setString(Tag.ModalitiesInStudy, "MR");
        if (studyDateRange == null) {
            k.setEmpty(Tag.StudyDate);
        } else {
            k.setString(Tag.StudyDate, studyDateRange);
        }
        k.setEmpty(Tag.StudyTime);
        k.setEmpty(Tag.StudyInstanceUID);
        k.setEmpty(Tag.StudyDescription);
        k.setEmpty(Tag.AccessionNumber);
        if (procedureCodes) {
            k.addItem(Tag.ProcedureCodeSequence).setEmpty(Tag.CodeValue);
        }
        return k;
    }

    /** The SERIES level identifier for one study. */
    public static Attributes seriesKeys(String studyInstanceUid) {
        Attributes k = new Attributes();
        k.setString(Tag.QueryRetrieveLevel, "SERIES");
        k.setString(Tag.StudyInstanceUID, studyInstanceUid);
        k.setEmpty(Tag.SeriesInstanceUID);
        k.setString(Tag.Modality, "MR");
        k.setEmpty(Tag.SeriesNumber);
        k.setEmpty(Tag.SeriesDescription);
        k.setEmpty(Tag.ProtocolName);
        k.setEmpty(Tag.MRAcquisitionType);
        k.setEmpty(Tag.BodyPartExamined);
        k.setEmpty(Tag.SeriesDate);
        k.setEmpty(Tag.Manufacturer);
        k.setEmpty(Tag.MagneticFieldStrength);
        return k;
    }

    /**
     * Connects, queries the studies then the series of each, and releases.
     *
     * @param maxStudies at most this many studies are kept (the C-FIND is cancelled beyond), bounding the work
     * @throws IOException when the association cannot be made, is rejected, a response times out, or a C-FIND
     *                     ends with a failure status
     */
    public static List<Study> query(String host, int port, String callingAeTitle, String calledAeTitle,
                                    String patientId, String studyDateRange, boolean procedureCodes, int maxStudies,
                                    DicomClient.Options options) throws IOException {
        return query(host, port, callingAeTitle, calledAeTitle, patientId, studyDateRange, procedureCodes, maxStudies,
                options, null);
    }

    /**
     * As above, the whole exchange (connection, association, the STUDY level query and every SERIES level one)
     * within {@code total}: past it, the association is aborted and a {@link java.net.SocketTimeoutException}
     * says so. Null: each wait is bounded by the options alone.
     */
    public static List<Study> query(String host, int port, String callingAeTitle, String calledAeTitle,
                                    String patientId, String studyDateRange, boolean procedureCodes, int maxStudies,
                                    DicomClient.Options options, java.time.Duration total) throws IOException {
        long start = System.nanoTime();
        DicomClient.Options o = options;
        if (total != null) {
            java.time.Duration bound = min(total, options.connectTimeout());
            o = new DicomClient.Options(bound, min(total, options.responseTimeout()), options.maxPduLength(),
                    options.tls());
        }
        try (DicomClient c = DicomClient.connect(host, port, callingAeTitle, calledAeTitle,
                List.of(UID.STUDY_ROOT_QR_FIND), o)) {
            if (total != null) {
                c.abortAfter(total.minusNanos(System.nanoTime() - start));
            }
            try {
                return studiesAndSeries(c, patientId, studyDateRange, procedureCodes, maxStudies);
            } catch (IOException e) {
                if (c.deadlinePassed()) {
                    throw timeout(total);
                }
                throw e;
            }
        } catch (java.net.SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            if (total != null && System.nanoTime() - start >= total.toNanos()) {
                throw timeout(total);
            }
            throw e;
        }
    }

    private static java.net.SocketTimeoutException timeout(java.time.Duration total) {
        return new java.net.SocketTimeoutException("no complete answer within " + total.toSeconds() + " s");
    }

    private static java.time.Duration min(java.time.Duration a, java.time.Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static List<Study> studiesAndSeries(DicomClient c, String patientId, String studyDateRange,
                                                boolean procedureCodes, int maxStudies) throws IOException {
        List<Attributes> studies = new ArrayList<>();
        int status = c.find(UID.STUDY_ROOT_QR_FIND, studyKeys(patientId, studyDateRange, procedureCodes), a -> {
            studies.add(a);
            return studies.size() < maxStudies;
        });
        check(status, "STUDY");
        List<Study> out = new ArrayList<>();
        for (Attributes s : studies) {
            String uid = s.getString(Tag.StudyInstanceUID);
            if (uid == null || uid.isBlank()) {
                continue;
            }
            List<Attributes> series = new ArrayList<>();
            check(c.find(UID.STUDY_ROOT_QR_FIND, seriesKeys(uid.trim()), series::add), "SERIES");
            out.add(new Study(s, series));
        }
        c.release();
        return out;
    }

    private static void check(int status, String level) throws FindFailedException {
        if (status != Status.SUCCESS && status != Status.CANCEL) {
            throw new FindFailedException("C-FIND at " + level + " level failed with status 0x"
                    + Integer.toHexString(status).toUpperCase(java.util.Locale.ROOT));
        }
    }
}
