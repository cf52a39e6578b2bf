package org.ofsep.mwl.core.order;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A number as an order states it: the value and how it compares ("&lt;30" is a value below 30, as laboratories
 * write results beyond their range). The unit travels beside it ({@link Observation#units()}).
 */
public record ObservedNumber(BigDecimal value, Comparator comparator) {

    /** How the true value relates to {@link #value()}. */
    public enum Comparator { EQ, LT, LE, GT, GE }

    private static final BigDecimal NUDGE = new BigDecimal("0.001");

    public ObservedNumber {
        Objects.requireNonNull(value, "value");
        comparator = comparator == null ? Comparator.EQ : comparator;
    }

    /**
     * The value the decision compares with its thresholds: just below the bound for "&lt;" (so "&lt;30" is under
     * a limit of 30), just above it for "&gt;", the bound itself otherwise.
     */
    public BigDecimal estimate() {
        return switch (comparator) {
            case LT -> value.subtract(NUDGE);
            case GT -> value.add(NUDGE);
            default -> value;
        };
    }
}
