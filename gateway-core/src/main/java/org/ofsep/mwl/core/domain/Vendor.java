package org.ofsep.mwl.core.domain;

/** The four MR manufacturers that ship OFSEP exam cards (Canon, GE, Philips, Siemens). */
public enum Vendor { SIEMENS, GE, PHILIPS, CANON }
