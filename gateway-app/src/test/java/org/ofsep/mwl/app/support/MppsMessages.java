package org.ofsep.mwl.app.support;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.VR;

/** The MPPS datasets a console sends for a worklist item, written once for the end-to-end tests. */
public final class MppsMessages {
    private MppsMessages() {
    }

    /**
     * An N-CREATE (IN PROGRESS) for one scheduled step of {@code item}, performed on {@code performedStation} from
     * {@code day} at {@code startTime}; no Performed Protocol Code Sequence (see {@link #withFullGdProtocol}).
     */
    public static Attributes inProgress(WorklistItem item, String performedStation, LocalDate day, String startTime) {
        Attributes a = new Attributes();
        a.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        a.setString(Tag.PatientName, VR.PN, item.patient().name());
        a.setString(Tag.PatientID, VR.LO, item.patient().id());
        a.setEmpty(Tag.PatientBirthDate, VR.DA);
        a.setEmpty(Tag.PatientSex, VR.CS);
        Attributes step = a.addItem(Tag.ScheduledStepAttributesSequence);
        step.setString(Tag.StudyInstanceUID, VR.UI, item.studyInstanceUid());
        step.setString(Tag.AccessionNumber, VR.SH, item.accessionNumber());
        step.setString(Tag.ScheduledProcedureStepID, VR.SH, item.spsId());
        step.setString(Tag.RequestedProcedureID, VR.SH, item.requestedProcedureId());
        a.setString(Tag.PerformedProcedureStepID, VR.SH, "PPS1");
        a.setString(Tag.PerformedStationAETitle, VR.AE, performedStation);
        a.setString(Tag.PerformedProcedureStepStartDate, VR.DA, day.format(DateTimeFormatter.BASIC_ISO_DATE));
        a.setString(Tag.PerformedProcedureStepStartTime, VR.TM, startTime);
        a.setString(Tag.PerformedProcedureStepStatus, VR.CS, "IN PROGRESS");
        a.setString(Tag.Modality, VR.CS, "MR");
        a.setEmpty(Tag.PerformedProcedureStepEndDate, VR.DA);
        a.setEmpty(Tag.PerformedProcedureStepEndTime, VR.TM);
        return a;
    }

    /** Adds the OFSEP full protocol with Gd as the performed protocol, and returns {@code a}. */
    public static Attributes withFullGdProtocol(Attributes a) {
        Attributes code = a.addItem(Tag.PerformedProtocolCodeSequence);
        code.setString(Tag.CodeValue, VR.SH, "OFSEP-FULL-GD");
        code.setString(Tag.CodingSchemeDesignator, VR.SH, "99OFSEP");
        code.setString(Tag.CodeMeaning, VR.LO, "OFSEP full protocol with gadolinium");
        return a;
    }
}
