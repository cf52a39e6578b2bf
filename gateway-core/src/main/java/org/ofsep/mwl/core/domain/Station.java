package org.ofsep.mwl.core.domain;

/**
 * A scanner that may query the worklist. Its calling AE title is the key: only configured stations are admitted.
 *
 * @param name            site name of the station (e.g. "IRM 1")
 * @param aeTitle         calling AE title of the console (max 16 chars)
 * @param vendor          manufacturer, selects the vendor protocol codes
 * @param model           model name, informational
 * @param fieldStrengthTesla  main field in tesla; OFSEP protocols need at least 1.5 T
 * @param modality        modality served, usually MR
 * @param host            optional IP address or host name the association must come from (null = any)
 * @param fuzzyNames      person-name matching ignores case and accents for this station
 */
public record Station(String name, String aeTitle, Vendor vendor, String model, double fieldStrengthTesla,
                      String modality, String host, boolean fuzzyNames) {
}
