package org.ofsep.mwl.hl7.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.OrderRejectedException;
import org.ofsep.mwl.core.order.OrderService;

/**
 * In-memory OrderService: records what was applied. Like the real one it refuses an (ORC-1, ORC-5) pair it does not
 * know, with an OrderRejectedException naming the pair; a hook runs inside apply (to block it, or fail it).
 */
public final class FakeOrderService implements OrderService {

    public record Merge(Patient survivor, String oldId, String oldIssuer) {
    }

    public final List<OrderMessage> applied = new CopyOnWriteArrayList<>();
    public final List<Patient> updated = new CopyOnWriteArrayList<>();
    public final List<Merge> merged = new CopyOnWriteArrayList<>();
    private final List<String> knownPairs = List.of("NW_SC", "NW_IP", "NW_", "XO_SC", "XO_CM", "SC_CM", "SC_IP",
            "CA_CA", "CA_", "DC_CA");
    private volatile Consumer<OrderMessage> hook = o -> { };

    public void onApply(Consumer<OrderMessage> newHook) {
        hook = newHook;
    }

    @Override
    public List<WorklistItem> apply(OrderMessage order) {
        String pair = order.orderControl() + "_" + (order.orderStatus() == null ? "" : order.orderStatus());
        if (!knownPairs.contains(pair)) {
            throw new OrderRejectedException("order control " + order.orderControl() + " with status '"
                    + (order.orderStatus() == null ? "" : order.orderStatus())
                    + "' (" + pair + ") is not mapped in the order control table", "ORC-1");
        }
        hook.accept(order);
        applied.add(order);
        return List.of();
    }

    /** The message log ids the orders came with ({@link #apply(OrderMessage, long)}), in order. */
    public final List<Long> messageIds = new CopyOnWriteArrayList<>();

    @Override
    public List<WorklistItem> apply(OrderMessage order, long messageId) {
        List<WorklistItem> items = apply(order);
        messageIds.add(messageId);
        return items;
    }

    @Override
    public int updatePatient(Patient patient) {
        updated.add(patient);
        return 1;
    }

    @Override
    public int mergePatient(Patient survivor, String oldPatientId, String oldIssuer) {
        merged.add(new Merge(survivor, oldPatientId, oldIssuer));
        return 1;
    }
}
