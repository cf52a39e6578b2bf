package org.ofsep.mwl.core.order;

/**
 * What an (ORC-1 order control, ORC-5 order status) pair does to the worklist. The pairs are data in the
 * mapping YAML (e.g. NW_SC -> SCHEDULE), not code.
 */
public enum OrderAction {
    /** Create the steps (or refresh them if the same order is already known). */
    SCHEDULE,
    /** Update the order's data and decide the protocol again. */
    UPDATE,
    /** The step has started at the modality. */
    START,
    /** The order is done. */
    COMPLETE,
    /** The order is canceled: the steps leave the worklist. */
    CANCEL,
    /** The order was discontinued. */
    DISCONTINUE
}
