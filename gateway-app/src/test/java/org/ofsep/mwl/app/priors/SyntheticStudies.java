package org.ofsep.mwl.app.priors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.DicomFile;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.TransferSyntax;
import org.ofsep.mwl.dicom.data.VR;

/**
 * Synthetic MR studies written as DICOM Part 10 files (one MR Image Storage instance per series, no pixel data)
 * for loading into a test PACS: what a hospital's archive holds for a few MS patients.
 */
public final class SyntheticStudies {

    static final String MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4";
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String ROOT = "2.25.3141592653589793" + (System.nanoTime() % 100000);

    public record Series(String description, String protocol, String acquisitionType, String bodyPart,
                         String manufacturer) {
    }

    /** @param accession the study's Accession Number, or null for one derived from the UID */
    public record Study(String patientId, String issuer, LocalDate date, String description, String uid,
                        List<Series> series, String accession) {
        public Study(String patientId, String issuer, LocalDate date, String description, String uid,
                     List<Series> series) {
            this(patientId, issuer, date, description, uid, series, null);
        }
    }

    private SyntheticStudies() {
    }

    public static String uid() {
        return ROOT + "." + SEQ.incrementAndGet();
    }

    public static Study study(String patientId, LocalDate date, String description, Series... series) {
        return new Study(patientId, null, date, description, uid(), List.of(series));
    }

    public static Series series(String description, String protocol, String acq, String body, String manufacturer) {
        return new Series(description, protocol, acq, body, manufacturer);
    }

    /** Writes one file per series of every study into {@code dir}; returns the files. */
    public static List<Path> write(Path dir, List<Study> studies) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (Study st : studies) {
            int n = 0;
            for (Series se : st.series()) {
                n++;
                String sop = uid();
                Attributes a = new Attributes();
                a.setString(Tag.SpecificCharacterSet, "ISO_IR 192");
                a.setString(Tag.SOPClassUID, VR.UI, MR_IMAGE_STORAGE);
                a.setString(Tag.SOPInstanceUID, VR.UI, sop);
                a.setString(Tag.StudyDate, st.date().format(DA));
                a.setString(Tag.SeriesDate, st.date().format(DA));
                a.setString(Tag.StudyTime, "101500");
                a.setString(Tag.AccessionNumber, st.accession() != null ? st.accession()
                        : "A" + Math.abs(st.uid().hashCode() % 100000));
                a.setString(Tag.Modality, "MR");
                a.setString(Tag.Manufacturer, se.manufacturer() == null ? "SIEMENS" : se.manufacturer());
                a.setString(Tag.MagneticFieldStrength, VR.DS, "3");
                a.setString(Tag.StudyDescription, st.description());
                if (se.description() != null) {
                    a.setString(Tag.SeriesDescription, se.description());
                }
                a.setString(Tag.PatientName, "TEST^" + st.patientId());
                a.setString(Tag.PatientID, st.patientId());
                if (st.issuer() != null) {
                    a.setString(Tag.IssuerOfPatientID, st.issuer());
                }
                a.setString(Tag.PatientBirthDate, "19800101");
                a.setString(Tag.PatientSex, "F");
                if (se.bodyPart() != null) {
                    a.setString(Tag.BodyPartExamined, se.bodyPart());
                }
                if (se.acquisitionType() != null) {
                    a.setString(Tag.MRAcquisitionType, se.acquisitionType());
                }
                if (se.protocol() != null) {
                    a.setString(Tag.ProtocolName, se.protocol());
                }
                a.setString(Tag.StudyInstanceUID, VR.UI, st.uid());
                a.setString(Tag.SeriesInstanceUID, VR.UI, st.uid() + "." + n);
                a.setString(Tag.StudyID, "1");
                a.setString(Tag.SeriesNumber, String.valueOf(n));
                a.setString(Tag.InstanceNumber, "1");
                DicomFile f = new DicomFile(DicomFile.createFileMeta(MR_IMAGE_STORAGE, sop, TransferSyntax.EXPLICIT_VR_LE), a);
                Path p = dir.resolve(sop + ".dcm");
                f.write(p);
                out.add(p);
            }
        }
        return out;
    }
}
