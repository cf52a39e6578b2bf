package org.ofsep.mwl.core.priors;

import java.time.LocalDate;
import java.util.List;

/**
 * What the PACS's answer means for the OFSEP decision: the previous studies as classified, the most recent
 * brain MRI, the most recent comparable one (with a 3D FLAIR), and the last spinal cord MRI.
 *
 * @param studies      every study returned, newest first, each with its classification
 * @param lastBrain    the most recent brain MRI, comparable or not; null when none
 * @param lastComparable the most recent brain MRI with a 3D FLAIR series; null when none
 * @param lastSpine    the most recent spinal cord MRI; null when none
 */
public record PriorFindings(List<Classified> studies, Classified lastBrain, Classified lastComparable,
                            Classified lastSpine) {

    /**
     * One study and what it counts as.
     *
     * @param study      the study as the PACS returned it
     * @param brain      a brain MRI (and why)
     * @param spine      a spinal cord MRI (and why)
     * @param flair3d    the series recognised as a 3D FLAIR, null when none
     * @param flairWhy   why that series counts (which pattern), null when none
     * @param brainWhy   why the study is a brain MRI, null when it is not
     * @param spineWhy   why the study is a spinal cord MRI, null when it is not
     * @param belowFieldStrength why a 3D FLAIR of the study does not count (acquired below the minimum field
     *                   strength), null when none was set aside
     */
    public record Classified(PriorStudy study, boolean brain, boolean spine, PriorSeries flair3d, String flairWhy,
                             String brainWhy, String spineWhy, String belowFieldStrength) {

        public Classified(PriorStudy study, boolean brain, boolean spine, PriorSeries flair3d, String flairWhy,
                          String brainWhy, String spineWhy) {
            this(study, brain, spine, flair3d, flairWhy, brainWhy, spineWhy, null);
        }

        /** True when no series of the study came with a description or protocol name (a PACS that does not return them). */
        public boolean seriesUndescribed() {
            return study.series().stream().allMatch(se -> blank(se.description()) && blank(se.protocolName()));
        }

        private static boolean blank(String s) {
            return s == null || s.isBlank();
        }

        public LocalDate date() {
            return study.effectiveDate();
        }

        /** "2025-11-03 'IRM ENCEPHALE SEP' (Study Instance UID 1.2.3)", for reasons and the CLI. */
        public String describe() {
            String d = study.description() == null || study.description().isBlank() ? "no description"
                    : "'" + study.description().trim() + "'";
            return date() + " " + d + " (Study Instance UID " + study.studyInstanceUid() + ")";
        }
    }

    /** The study that decides: the most recent comparable brain MRI, else the most recent brain MRI. */
    public Classified deciding() {
        return lastComparable != null ? lastComparable : lastBrain;
    }

    public static final PriorFindings EMPTY = new PriorFindings(List.of(), null, null, null);
}
