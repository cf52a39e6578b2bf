package org.ofsep.mwl.dicom.scu;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.UID;

/** One Modality Worklist C-FIND on its own association: what {@code gateway query --as AE} shows. */
public final class FindScu {

    /** The final status and the matches, in the order received. */
    public record Result(int status, List<Attributes> matches) {
    }

    private FindScu() {
    }

    public static Result worklist(String host, int port, String callingAeTitle, String calledAeTitle, Attributes keys,
                                  DicomClient.Options options) throws IOException {
        try (DicomClient client = DicomClient.connect(host, port, callingAeTitle, calledAeTitle,
                List.of(UID.MODALITY_WORKLIST_FIND), options)) {
            List<Attributes> matches = new ArrayList<>();
            int status = client.find(UID.MODALITY_WORKLIST_FIND, keys, matches::add);
            client.release();
            return new Result(status, matches);
        }
    }
}
