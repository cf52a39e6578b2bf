package org.ofsep.mwl.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.OrderService;
import org.ofsep.mwl.core.store.LoggedMessage;
import org.ofsep.mwl.core.store.MessageLog;
import org.ofsep.mwl.core.store.WorklistQuery;
import org.ofsep.mwl.core.store.WorklistStore;

/**
 * The Prometheus metrics of /metrics. The modules know nothing of Micrometer: the gateway measures them by
 * wrapping the core services it hands to the HL7 and DICOM layers.
 */
public final class GatewayMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer cfind;
    private final List<Object> strong = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The last decisions, newest first, for GET /api/decisions (no patient data in them). */
    private final java.util.Deque<Map<String, Object>> recentDecisions = new java.util.ArrayDeque<>();
    private static final int RECENT = 100;

    public GatewayMetrics() {
        cfind = Timer.builder("mwl_cfind_duration")
                .description("Worklist C-FIND: from query start to the last item streamed")
                .publishPercentileHistogram()
                .register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * The JVM's own meters, for a serving gateway: garbage collection pauses ({@code jvm_gc_pause_seconds}, by
     * collector and cause, with their count, total and longest), heap and non-heap memory ({@code
     * jvm_memory_used_bytes}, {@code jvm_memory_max_bytes}) and threads ({@code jvm_threads_live_threads}). A
     * pause of the collector stops every thread, the consoles' C-FINDs included: this is where a slow beat shows.
     *
     * @return what stops the collector's listeners again (at the gateway's stop)
     */
    public AutoCloseable bindJvmMeters() {
        io.micrometer.core.instrument.binder.jvm.JvmGcMetrics gc = new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics();
        gc.bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
        return gc;
    }

    public String scrape() {
        return registry.scrape();
    }

    void decided(Decision decision) {
        String card = decision.ofsep() && decision.examCard() != null ? decision.examCard().name() : "NONE";
        Counter.builder("mwl_decisions_total").description("Protocol decisions by exam card and contrast")
                .tag("ofsep", String.valueOf(decision.ofsep())).tag("card", card)
                .tag("contrast", String.valueOf(decision.contrast())).register(registry).increment();
        if (decision.ofsep() && !decision.contrast()) {
            // the former practice gave every MS follow-up an annual Gd-enhanced MRI
            Counter.builder("mwl_gd_injections_avoided_total")
                    .description("OFSEP exams without Gd that the former annual-Gd practice would have injected")
                    .register(registry).increment();
        }
    }

    /** A login attempt: ok, failed or locked. */
    void login(String result) {
        Counter.builder("mwl_admin_logins_total").description("Admin port logins, by result")
                .tag("result", result).register(registry).increment();
    }

    /**
     * A review action (CONFIRM, OVERRIDE, NOTE). An override that changes the Gd choice of the rules also counts
     * as "Gd given after override" or "Gd avoided after override".
     */
    void reviewAction(String action, Decision rules, Decision published) {
        String a = action == null ? "UNKNOWN" : action.trim().toUpperCase(java.util.Locale.ROOT);
        Counter.builder("mwl_review_actions_total").description("Radiologist review actions, by action")
                .tag("action", a).register(registry).increment();
        if ("OVERRIDE".equals(a) && rules != null && published != null && rules.contrast() != published.contrast()) {
            Counter.builder("mwl_gd_override_total")
                    .description("Overrides that changed the Gd of the rules: given (rules said no Gd) or avoided")
                    .tag("gd", published.contrast() ? "given" : "avoided").register(registry).increment();
        }
    }

    /** Counts orders and decisions as the order service applies them. */
    public OrderService measure(OrderService delegate) {
        return new OrderService() {
            @Override
            public List<WorklistItem> apply(OrderMessage order) {
                return counted(order, delegate.apply(order));
            }

            @Override
            public List<WorklistItem> apply(OrderMessage order, long messageId) {
                return counted(order, delegate.apply(order, messageId));
            }

            private List<WorklistItem> counted(OrderMessage order, List<WorklistItem> items) {
                Counter.builder("mwl_orders_applied_total").description("Orders applied, by order control")
                        .tag("control", String.valueOf(order.orderControl())).register(registry).increment();
                if (order.orderControl() != null && !"CA".equals(order.orderControl())
                        && !"DC".equals(order.orderControl())) {
                    for (WorklistItem item : items) {
                        if (item.decision() != null) {
                            decided(item.decision());
                            remember(item);
                        }
                    }
                }
                return items;
            }

            @Override
            public int updatePatient(Patient patient) {
                return delegate.updatePatient(patient);
            }

            @Override
            public int mergePatient(Patient survivor, String oldPatientId, String oldIssuer) {
                return delegate.mergePatient(survivor, oldPatientId, oldIssuer);
            }
        };
    }

    private synchronized void remember(WorklistItem item) {
        Decision d = item.decision();
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("decidedAt", Instant.now().toString());
        row.put("accessionNumber", item.accessionNumber());
        row.put("spsId", item.spsId());
        row.put("station", item.stationAeTitle());
        row.put("ofsep", d.ofsep());
        row.put("examCard", d.examCard() == null ? null : d.examCard().name());
        row.put("contrast", d.contrast());
        row.put("contrastOptional", d.contrastOptional());
        row.put("rule", d.rule().name());
        row.put("reasons", d.reasons());
        row.put("alerts", d.alerts());
        recentDecisions.addFirst(row);
        while (recentDecisions.size() > RECENT) {
            recentDecisions.removeLast();
        }
    }

    /** The decisions this instance made since it started, newest first (at most 100). */
    public synchronized List<Map<String, Object>> recentDecisions() {
        return List.copyOf(recentDecisions);
    }

    /** Counts HL7 messages by the ACK code they got. */
    public MessageLog measure(MessageLog delegate) {
        return new MessageLog() {
            @Override
            public long received(String sendingApplication, String controlId, String messageType, String raw) {
                return delegate.received(sendingApplication, controlId, messageType, raw);
            }

            @Override
            public void completed(long id, String ackCode, String ack, String error) {
                delegate.completed(id, ackCode, ack, error);
                answered(ackCode);
            }

            @Override
            public long record(String sendingApplication, String controlId, String messageType, String raw,
                               String ackCode, String ack, String error) {
                long id = delegate.record(sendingApplication, controlId, messageType, raw, ackCode, ack, error);
                answered(ackCode);
                return id;
            }

            private void answered(String ackCode) {
                Counter.builder("mwl_hl7_messages_total").description("HL7 messages received, by ACK code")
                        .tag("ack", String.valueOf(ackCode)).register(registry).increment();
            }

            @Override
            public Optional<LoggedMessage> findAnswered(String sendingApplication, String controlId) {
                return delegate.findAnswered(sendingApplication, controlId);
            }

            @Override
            public Optional<LoggedMessage> findAccepted(String sendingApplication, String controlId) {
                return delegate.findAccepted(sendingApplication, controlId);
            }

            @Override
            public Optional<LoggedMessage> get(long id) {
                return delegate.get(id);
            }

            @Override
            public List<LoggedMessage> failed(int limit) {
                return delegate.failed(limit);
            }

            @Override
            public int trim(Instant cutoff) {
                return delegate.trim(cutoff);
            }
        };
    }

    /** Times worklist queries (C-FIND) and counts the items they return. */
    public WorklistStore measure(WorklistStore delegate) {
        Counter items = Counter.builder("mwl_cfind_items_total").description("Worklist items returned")
                .register(registry);
        return new WorklistStore() {
            @Override
            public int query(WorklistQuery query, Predicate<WorklistItem> sink) {
                Timer.Sample sample = Timer.start(registry);
                int n = delegate.query(query, sink);
                sample.stop(cfind);
                items.increment(n);
                return n;
            }

            @Override
            public int query(WorklistQuery query, Predicate<WorklistItem> sink,
                             java.util.function.BooleanSupplier cancelled) {
                Timer.Sample sample = Timer.start(registry);
                int n = delegate.query(query, sink, cancelled);
                sample.stop(cfind);
                items.increment(n);
                return n;
            }

            @Override
            public Optional<WorklistItem> findBySpsId(String spsId) {
                return delegate.findBySpsId(spsId);
            }

            @Override
            public List<WorklistItem> findByAccession(String accessionNumber) {
                return delegate.findByAccession(accessionNumber);
            }

            @Override
            public List<PriorExam> history(String patientId) {
                return delegate.history(patientId);
            }

            @Override
            public java.util.Map<SpsStatus, Long> countByStatus() {
                return delegate.countByStatus();
            }
        };
    }

    /** DICOM association slots: the wait for a free slot, refusals, unassociated connections closed. */
    public org.ofsep.mwl.dicom.net.DicomListener.Observer dicomObserver() {
        Timer granted = Timer.builder("mwl_dicom_association_wait")
                .description("Time an accepted association request waited for a free slot")
                .tag("outcome", "granted").publishPercentileHistogram().register(registry);
        Timer refusedWait = Timer.builder("mwl_dicom_association_wait")
                .description("Time an accepted association request waited for a free slot")
                .tag("outcome", "refused").publishPercentileHistogram().register(registry);
        Counter refused = Counter.builder("mwl_dicom_associations_refused_total")
                .description("Association requests rejected because no slot freed within dicom.associationWaitSeconds")
                .tag("reason", "busy").register(registry);
        Counter evicted = Counter.builder("mwl_dicom_connections_evicted_total")
                .description("Connections closed before their A-ASSOCIATE-RQ because dicom.maxPendingConnections were open")
                .register(registry);
        return new org.ofsep.mwl.dicom.net.DicomListener.Observer() {
            @Override
            public void slotRequested(java.time.Duration waited, boolean ok) {
                (ok ? granted : refusedWait).record(waited);
                if (!ok) {
                    refused.increment();
                }
            }

            @Override
            public void pendingEvicted() {
                evicted.increment();
            }
        };
    }

    /** Registers a counter read from a supplier of a monotonic count. */
    public void counter(String name, String description, Supplier<Number> value) {
        strong.add(value); // the registry holds its object weakly
        io.micrometer.core.instrument.FunctionCounter.builder(name, value, v -> v.get().doubleValue())
                .description(description).register(registry);
    }

    /** Registers a gauge from a supplier (e.g. queue depth). */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    /** A gauge with labels, e.g. one per certificate. */
    public void gauge(String name, String description, Map<String, String> labels, Supplier<Number> value) {
        Gauge.Builder<Supplier<Number>> builder = Gauge.builder(name, value).description(description);
        labels.forEach(builder::tag);
        builder.register(registry);
    }
}
