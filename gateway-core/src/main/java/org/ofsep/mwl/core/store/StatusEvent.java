package org.ofsep.mwl.core.store;

import java.time.Instant;

/**
 * A status change the RIS must hear about (from MPPS), queued durably and sent in order per order.
 *
 * @param id                queue key
 * @param placerOrderNumber ORC-2
 * @param fillerOrderNumber ORC-3
 * @param accessionNumber   OBR-18
 * @param spsId             the step
 * @param patientId         PID-3
 * @param status            "IP", "CM" or "DC" (ORC-5 values)
 * @param occurredAt        when the modality reported it
 * @param attempts          delivery attempts so far
 */
public record StatusEvent(long id, String placerOrderNumber, String fillerOrderNumber, String accessionNumber,
                          String spsId, String patientId, String status, Instant occurredAt, int attempts) {
}
