package org.ofsep.mwl.core.decision.policy;

import java.math.BigDecimal;
import java.util.Objects;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.order.OrderRejectedException;

/**
 * Field strength: an MS order is refused on a station below the minimum (mapping
 * {@code policies.fieldStrength.minimumTesla}, 1.5 T). Orders that are not MS orders never reach it.
 */
public record FieldStrengthPolicy(BigDecimal minimumTesla) {

    /** The sentence of OFSEP 2020 this policy implements. */
    public static final String RECOMMENDATION =
            "Acquisitions must be performed on at least a 1·5T field strength with a clinical workflow set-up.";

    public FieldStrengthPolicy {
        Objects.requireNonNull(minimumTesla, "minimumTesla");
    }

    /**
     * @throws OrderRejectedException (AE, not AR: the RIS may reschedule) when the station is below the minimum
     */
    public void check(Station station) {
        if (station != null && BigDecimal.valueOf(station.fieldStrengthTesla()).compareTo(minimumTesla) < 0) {
            throw new OrderRejectedException("Station " + station.aeTitle() + " (" + station.fieldStrengthTesla()
                    + " T) is below " + minimumTesla.stripTrailingZeros().toPlainString()
                    + " T: not eligible for the OFSEP MS protocols (OFSEP 2020: at least 1.5 T)", null);
        }
    }
}
