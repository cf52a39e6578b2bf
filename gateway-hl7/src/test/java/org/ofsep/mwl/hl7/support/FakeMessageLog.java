package org.ofsep.mwl.hl7.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.ofsep.mwl.core.store.LoggedMessage;
import org.ofsep.mwl.core.store.MessageLog;

/** In-memory MessageLog with the same contract as the JDBC one. */
public class FakeMessageLog implements MessageLog {
    private final Map<Long, LoggedMessage> rows = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    @Override
    public long received(String sendingApplication, String controlId, String messageType, String raw) {
        long id = ids.incrementAndGet();
        rows.put(id, new LoggedMessage(id, Instant.now(), sendingApplication, controlId, messageType, raw, null, null,
                null));
        return id;
    }

    @Override
    public void completed(long id, String ackCode, String ack, String error) {
        rows.computeIfPresent(id, (k, m) -> new LoggedMessage(m.id(), m.receivedAt(), m.sendingApplication(),
                m.controlId(), m.messageType(), m.raw(), ackCode, ack, error));
    }

    @Override
    public Optional<LoggedMessage> findAnswered(String sendingApplication, String controlId) {
        return rows.values().stream()
                .filter(m -> m.ackCode() != null && controlId.equals(m.controlId())
                        && java.util.Objects.equals(sendingApplication, m.sendingApplication()))
                .max(Comparator.comparingLong(LoggedMessage::id)); // the latest answer, as the JDBC log
    }

    @Override
    public Optional<LoggedMessage> get(long id) {
        return Optional.ofNullable(rows.get(id));
    }

    @Override
    public List<LoggedMessage> failed(int limit) {
        return rows.values().stream().filter(m -> "AE".equals(m.ackCode()) || "AR".equals(m.ackCode()))
                .sorted(Comparator.comparingLong(LoggedMessage::id).reversed()).limit(limit).toList();
    }

    @Override
    public int trim(Instant cutoff) {
        int before = rows.size();
        rows.values().removeIf(m -> m.receivedAt().isBefore(cutoff));
        return before - rows.size();
    }

    public List<LoggedMessage> all() {
        return new ArrayList<>(rows.values().stream().sorted(Comparator.comparingLong(LoggedMessage::id)).toList());
    }
}
