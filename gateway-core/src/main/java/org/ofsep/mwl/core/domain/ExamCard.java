package org.ofsep.mwl.core.domain;

/** The OFSEP 2020 brain exam cards. */
public enum ExamCard {
    /** Standard protocol: 3D T1, DWI+ADC, 3D FLAIR, 3D Gd T1 when injected; max 20 min. */
    FULL,
    /** Follow-up without Gd: 3D T1, DWI+ADC, 3D FLAIR; max 15 min. */
    ROUTINE,
    /** PML screening: DWI+ADC, 3D FLAIR, optional 3D DIR; max 10 min. */
    PML_SHORT
}
