package org.ofsep.mwl.core.priors;

import java.time.LocalDate;

/**
 * One series of a previous study as the PACS described it (C-FIND SERIES level or QIDO-RS /series).
 * Every field may be null when the PACS did not return it.
 *
 * @param seriesInstanceUid (0020,000E)
 * @param modality          (0008,0060)
 * @param description       Series Description (0008,103E)
 * @param protocolName      Protocol Name (0018,1030)
 * @param mrAcquisitionType MR Acquisition Type (0018,0023): "2D" or "3D"
 * @param bodyPart          Body Part Examined (0018,0015)
 * @param date              Series Date (0008,0021)
 * @param manufacturer      Manufacturer (0008,0070)
 * @param fieldStrengthTesla Magnetic Field Strength (0018,0087) in tesla, null when the PACS did not return it
 */
public record PriorSeries(String seriesInstanceUid, String modality, String description, String protocolName,
                          String mrAcquisitionType, String bodyPart, LocalDate date, String manufacturer,
                          Double fieldStrengthTesla) {

    /** A series whose field strength the PACS did not return. */
    public PriorSeries(String seriesInstanceUid, String modality, String description, String protocolName,
                       String mrAcquisitionType, String bodyPart, LocalDate date, String manufacturer) {
        this(seriesInstanceUid, modality, description, protocolName, mrAcquisitionType, bodyPart, date, manufacturer,
                null);
    }

    /** A short label for reasons and the CLI: the description, else the protocol name, else the UID. */
    public String label() {
        if (description != null && !description.isBlank()) {
            return description.trim();
        }
        if (protocolName != null && !protocolName.isBlank()) {
            return protocolName.trim();
        }
        return seriesInstanceUid == null ? "?" : seriesInstanceUid;
    }
}
