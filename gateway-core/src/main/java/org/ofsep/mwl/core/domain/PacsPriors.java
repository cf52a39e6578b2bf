package org.ofsep.mwl.core.domain;

import java.time.LocalDate;

/**
 * What the PACS says about a patient's previous MRIs, as typed input to the OFSEP decision (next to the facts the
 * order states). The decision merges the two as the recommendations need: the most recent comparable exam.
 *
 * @param source      the PACS as named in reasons and facts, e.g. "DIMSE PACS@pacs:104"
 * @param brainMri    date of the brain MRI that decides (the most recent with a 3D FLAIR, else the most recent);
 *                    null when the PACS has no brain MRI of the patient in the lookback
 * @param flair3d     whether that brain MRI has a 3D FLAIR series (comparable, OFSEP 2020 standardized protocol)
 * @param brainStudy  that study: date, description, Study Instance UID
 * @param flairSeries the 3D FLAIR series that made it comparable, null when none
 * @param spineMri    date of the most recent spinal cord MRI, null when none
 * @param spineStudy  that study: date, description, Study Instance UID
 * @param reason      the line the decision's reasons gain ("Priors checked at ... (PACS ...): ..."), never null
 */
public record PacsPriors(String source, LocalDate brainMri, boolean flair3d, String brainStudy, String flairSeries,
                         LocalDate spineMri, String spineStudy, String reason) {

    /** "PACS DIMSE PACS@pacs:104", the source of the facts the PACS gave. */
    public String factSource() {
        return "PACS " + source;
    }
}
