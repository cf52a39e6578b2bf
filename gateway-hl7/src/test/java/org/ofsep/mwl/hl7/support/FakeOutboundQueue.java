package org.ofsep.mwl.hl7.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ofsep.mwl.core.store.OutboundQueue;
import org.ofsep.mwl.core.store.StatusEvent;

/** In-memory OutboundQueue with the JDBC contract: only the oldest pending event per order is due. */
public final class FakeOutboundQueue implements OutboundQueue {

    public enum State { PENDING, SENT, FAILED }

    public static final class Entry {
        public StatusEvent event;
        public State state = State.PENDING;
        public Instant nextAttempt = Instant.EPOCH;
        public String lastError;

        Entry(StatusEvent event) {
            this.event = event;
        }
    }

    private final Map<Long, Entry> entries = new LinkedHashMap<>();
    private long ids;

    public synchronized long add(String placer, String filler, String accession, String spsId, String patientId,
                                 String status, Instant at) {
        long id = ++ids;
        entries.put(id, new Entry(new StatusEvent(id, placer, filler, accession, spsId, patientId, status, at, 0)));
        return id;
    }

    @Override
    public synchronized List<StatusEvent> due(Instant now, int max) {
        Map<String, Entry> headPerOrder = new LinkedHashMap<>();
        for (Entry e : entries.values()) {
            if (e.state == State.PENDING) {
                headPerOrder.putIfAbsent(e.event.placerOrderNumber(), e);
            }
        }
        List<StatusEvent> out = new ArrayList<>();
        headPerOrder.values().stream().filter(e -> !e.nextAttempt.isAfter(now))
                .sorted(Comparator.comparingLong(e -> e.event.id())).limit(max).forEach(e -> out.add(e.event));
        return out;
    }

    @Override
    public synchronized void markSent(long id) {
        entries.get(id).state = State.SENT;
    }

    @Override
    public synchronized void markRetry(long id, String error, Instant nextAttempt) {
        Entry e = entries.get(id);
        StatusEvent ev = e.event;
        e.event = new StatusEvent(ev.id(), ev.placerOrderNumber(), ev.fillerOrderNumber(), ev.accessionNumber(),
                ev.spsId(), ev.patientId(), ev.status(), ev.occurredAt(), ev.attempts() + 1);
        e.nextAttempt = nextAttempt;
        e.lastError = error;
    }

    @Override
    public synchronized void markFailed(long id, String error) {
        Entry e = entries.get(id);
        e.state = State.FAILED;
        e.lastError = error;
    }

    @Override
    public synchronized long depth() {
        return entries.values().stream().filter(e -> e.state == State.PENDING).count();
    }

    public synchronized Entry entry(long id) {
        return Objects.requireNonNull(entries.get(id));
    }
}
