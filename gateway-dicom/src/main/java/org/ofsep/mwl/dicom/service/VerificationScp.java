package org.ofsep.mwl.dicom.service;

import java.io.IOException;
import java.util.Set;
import org.ofsep.mwl.dicom.acse.Implementation;
import org.ofsep.mwl.dicom.dimse.Command;
import org.ofsep.mwl.dicom.dimse.CommandField;
import org.ofsep.mwl.dicom.dimse.Status;
import org.ofsep.mwl.dicom.net.DimseService;
import org.ofsep.mwl.dicom.net.ServiceContext;

/** Verification SOP Class SCP (PS3.4 Annex A): answers C-ECHO with Success. */
public final class VerificationScp implements DimseService {

    @Override
    public Set<String> sopClasses() {
        return Set.of(Implementation.VERIFICATION);
    }

    @Override
    public Set<Integer> commandFields() {
        return Set.of(CommandField.C_ECHO_RQ);
    }

    @Override
    public void handle(ServiceContext context) throws IOException {
        context.respond(Command.response(context.request().command(), Status.SUCCESS, false), null);
    }
}
