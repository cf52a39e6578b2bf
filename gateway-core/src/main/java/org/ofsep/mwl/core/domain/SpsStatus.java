package org.ofsep.mwl.core.domain;

/** Scheduled Procedure Step Status (0040,0020) plus CANCELED, which removes the step from the worklist. */
public enum SpsStatus { SCHEDULED, STARTED, COMPLETED, DISCONTINUED, CANCELED }
