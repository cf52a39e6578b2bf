package org.ofsep.mwl.app.priors;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.ofsep.mwl.core.priors.PriorAnswer;
import org.ofsep.mwl.core.priors.PriorQuery;
import org.ofsep.mwl.core.priors.PriorSeries;
import org.ofsep.mwl.core.priors.PriorSource;
import org.ofsep.mwl.core.priors.PriorSourceException;
import org.ofsep.mwl.core.priors.PriorStudy;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.scu.AssociationRejectedException;
import org.ofsep.mwl.dicom.scu.DicomClient;
import org.ofsep.mwl.dicom.scu.StudyRootFind;

/**
 * Previous studies from a PACS over DIMSE: Study Root C-FIND at STUDY then SERIES level, with the gateway's own
 * SCU ({@link StudyRootFind}). The timeout bounds the whole lookup: connection, TLS handshake, association, the
 * STUDY level query and every SERIES level one together; past it the association is aborted.
 */
public final class DimsePriorSource implements PriorSource {

    /** The most studies read for one patient: a PACS answering thousands is cut, not followed. */
    static final int MAX_STUDIES = 200;
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    private final String host;
    private final int port;
    private final String calledAeTitle;
    private final String callingAeTitle;
    private final Duration timeout;
    private final SSLContext tls;
    private final boolean procedureCodes;

    /**
     * @param tls            TLS context, or null for plain TCP
     * @param procedureCodes ask for the Procedure Code Sequence at STUDY level (not every PACS supports a sequence
     *                       as a return key)
     */
    public DimsePriorSource(String host, int port, String calledAeTitle, String callingAeTitle, Duration timeout,
                            SSLContext tls, boolean procedureCodes) {
        this.host = host;
        this.port = port;
        this.calledAeTitle = calledAeTitle;
        this.callingAeTitle = callingAeTitle;
        this.timeout = timeout;
        this.tls = tls;
        this.procedureCodes = procedureCodes;
    }

    @Override
    public String describe() {
        return "DIMSE " + calledAeTitle + "@" + host + ":" + port + (tls == null ? "" : " TLS");
    }

    @Override
    public List<PriorStudy> find(PriorQuery q) throws PriorSourceException {
        return answer(q).studies();
    }

    @Override
    public PriorAnswer answer(PriorQuery q) throws PriorSourceException {
        String range = (q.from() == null ? "" : q.from().format(DA)) + "-" + (q.to() == null ? "" : q.to().format(DA));
        DicomClient.Options options = new DicomClient.Options(timeout, timeout, 65536, tls);
        List<StudyRootFind.Study> answer;
        try {
            // the whole lookup (connection, association, STUDY and every SERIES query) within the timeout
            answer = StudyRootFind.query(host, port, callingAeTitle, calledAeTitle, q.patientId(), range,
                    procedureCodes, MAX_STUDIES, options, timeout);
        } catch (AssociationRejectedException e) {
            throw new PriorSourceException("association rejected: " + e.getMessage(), e);
        } catch (ConnectException e) {
            throw new PriorSourceException("connection refused by " + host + ":" + port, e);
        } catch (SocketTimeoutException e) {
            throw new PriorSourceException(e.getMessage() != null && e.getMessage().startsWith("no complete answer")
                    ? e.getMessage() : "no connection within " + timeout.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new PriorSourceException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new PriorSourceException("unreadable answer: " + e, e);
        }
        List<PriorStudy> returned = new ArrayList<>();
        for (StudyRootFind.Study s : answer) {
            List<PriorSeries> series = new ArrayList<>();
            for (Attributes a : s.series()) {
                series.add(series(a));
            }
            returned.add(study(s.attributes()).withSeries(series));
        }
        // another patient's (a PACS that matched too widely, another issuer) or not MR: set aside, never a prior
        return PriorAnswer.of(q, returned);
    }

    static PriorStudy study(Attributes a) {
        List<String> codes = new ArrayList<>();
        List<Attributes> seq = a.getSequence(Tag.ProcedureCodeSequence);
        if (seq != null) {
            for (Attributes item : seq) {
                String v = item.getString(Tag.CodeValue);
                if (v != null && !v.isBlank()) {
                    codes.add(v.trim());
                }
            }
        }
        String[] mods = a.getStrings(Tag.ModalitiesInStudy);
        return new PriorStudy(trim(a.getString(Tag.StudyInstanceUID)), date(a.getString(Tag.StudyDate)),
                trim(a.getString(Tag.StudyDescription)), trim(a.getString(Tag.PatientID)),
                trim(a.getString(Tag.IssuerOfPatientID)), mods == null ? List.of() : List.of(mods), codes,
                trim(a.getString(Tag.AccessionNumber)), List.of());
    }

    static PriorSeries series(Attributes a) {
        return new PriorSeries(trim(a.getString(Tag.SeriesInstanceUID)), trim(a.getString(Tag.Modality)),
                trim(a.getString(Tag.SeriesDescription)), trim(a.getString(Tag.ProtocolName)),
                trim(a.getString(Tag.MRAcquisitionType)), trim(a.getString(Tag.BodyPartExamined)),
                date(a.getString(Tag.SeriesDate)), trim(a.getString(Tag.Manufacturer)),
                tesla(a.getString(Tag.MagneticFieldStrength)));
    }

    /** A DS field strength in tesla; a value that is not a plain positive number is taken as unknown. */
    static Double tesla(String ds) {
        if (ds == null || !ds.trim().matches("[0-9]+(\\.[0-9]+)?|\\.[0-9]+")) {
            return null;
        }
        double t = Double.parseDouble(ds.trim());
        return t > 0 ? t : null;
    }

    /** A DA value; a range or a malformed date is taken as unknown. */
    static LocalDate date(String da) {
        if (da == null) {
            return null;
        }
        String s = da.trim();
        if (s.matches("\\d{8}")) {
            try {
                return LocalDate.parse(s, DA);
            } catch (RuntimeException e) {
                return null;
            }
        }
        if (s.matches("\\d{4}\\.\\d{2}\\.\\d{2}")) { // ACR-NEMA form some old archives still return
            return date(s.replace(".", ""));
        }
        return null;
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
