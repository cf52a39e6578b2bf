package org.ofsep.mwl.core.facts;

import org.ofsep.mwl.core.domain.Fact;

/** A typed value read from an order and the {@link Fact} that says where it came from. */
record Evidence<T>(T value, Fact fact, boolean structured) {
}
