package org.ofsep.mwl.app.priors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.mapping.Mapping;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.order.OrderAction;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.ProcedureRequest;
import org.ofsep.mwl.core.priors.PriorClassifier;
import org.ofsep.mwl.core.decision.PriorFacts;
import org.ofsep.mwl.core.priors.PriorFindings;
import org.ofsep.mwl.core.priors.PriorQuery;
import org.ofsep.mwl.core.priors.PriorSource;
import org.ofsep.mwl.core.priors.PriorSourceException;
import org.ofsep.mwl.core.priors.PriorStudy;
import org.ofsep.mwl.store.priors.JdbcRedecisions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PACS prior lookup of every committed order, after its ACK: a bounded pool (at most {@code maxConcurrent}
 * lookups at once, {@code queueSize} waiting; beyond, the lookup is skipped and the intake decision stays), a
 * small per-patient cache of the PACS's answers, and the re-decision of the order's scheduled steps with what
 * the PACS returned ({@link JdbcRedecisions}). A PACS that is down, slow or refusing leaves the intake decision
 * in force, with a reason saying the PACS could not be asked.
 *
 * <p>Logs carry no patient data: the order is named by its placer order number's steps (SPS IDs).
 */
public final class PriorLookups implements Consumer<OrderMessage>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PriorLookups.class);
    private static final DateTimeFormatter CHECKED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");
    public static final String SOURCE = "PRIORS";

    /** Settings read from gateway.yaml {@code priors}. */
    public record Settings(Duration timeout, int lookbackYears, int maxConcurrent, int queueSize, Duration cacheTtl,
                           int cacheSize) {
    }

    private record Cached(List<PriorStudy> studies, Instant at) {
    }

    private final PriorSource source;
    private final Settings settings;
    private final Supplier<Mapping> mapping;
    private final JdbcRedecisions redecisions;
    private final Clock clock;
    private final ThreadPoolExecutor pool;
    private final Map<String, Cached> cache;
    private final AtomicInteger running = new AtomicInteger();
    private final Timer latencyOk;
    private final Timer latencyFailed;
    private final MeterRegistry registry;
    private volatile Instant lastSuccess;
    private volatile Instant lastFailure;
    private volatile String lastError;

    public PriorLookups(PriorSource source, Settings settings, Supplier<Mapping> mapping, JdbcRedecisions redecisions,
                        Clock clock, MeterRegistry registry) {
        this.source = Objects.requireNonNull(source);
        this.settings = settings;
        this.mapping = mapping;
        this.redecisions = redecisions;
        this.clock = clock;
        this.registry = registry;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(settings.maxConcurrent(), settings.maxConcurrent(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, settings.queueSize())), r -> {
                    Thread t = new Thread(r, "priors-lookup-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        this.pool.allowCoreThreadTimeOut(true);
        int max = Math.max(1, settings.cacheSize());
        this.cache = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > max;
            }
        });
        this.latencyOk = Timer.builder("mwl_priors_lookup").description("PACS prior lookups: time to the PACS's answer")
                .tag("outcome", "ok").publishPercentileHistogram().register(registry);
        this.latencyFailed = Timer.builder("mwl_priors_lookup").description("PACS prior lookups: time to the PACS's answer")
                .tag("outcome", "failed").publishPercentileHistogram().register(registry);
        registry.gauge("mwl_priors_lookups_queued", pool, p -> p.getQueue().size());
        registry.gauge("mwl_priors_lookups_running", running);
    }

    public PriorSource source() {
        return source;
    }

    /** Hands a committed order over for its lookup; returns at once (the HL7 thread never waits for the PACS). */
    @Override
    public void accept(OrderMessage order) {
        if (!wanted(order)) {
            return;
        }
        try {
            pool.execute(() -> run(order));
        } catch (RejectedExecutionException e) {
            count("skipped");
            LOG.warn("Priors lookup skipped: {} lookups already waiting; the intake decision stays", pool.getQueue().size());
        }
    }

    private boolean wanted(OrderMessage order) {
        if (order == null || order.patient() == null || order.patient().id() == null || order.patient().id().isBlank()
                || order.placerOrderNumber() == null || order.placerOrderNumber().isBlank()) {
            return false;
        }
        String control = order.orderControl() == null ? "" : order.orderControl().trim();
        String status = order.orderStatus() == null ? "" : order.orderStatus().trim();
        OrderAction a = mapping.get().orderAction(control, status).orElse(null);
        return a == OrderAction.SCHEDULE || a == OrderAction.UPDATE;
    }

    private void run(OrderMessage order) {
        running.incrementAndGet();
        try {
            lookupAndRedecide(order);
        } catch (RuntimeException e) {
            count("error");
            LOG.warn("Priors re-decision failed: {}", e.toString());
        } finally {
            running.decrementAndGet();
        }
    }

    /** The lookup and re-decision of one order, on the calling thread (the pool's, or a test's). */
    public List<JdbcRedecisions.Outcome> lookupAndRedecide(OrderMessage order) {
        String checkedAt = ZonedDateTime.now(clock).format(CHECKED_AT);
        MappingSnapshot m = MappingSnapshot.of(mapping.get());
        LocalDate reference = order.procedures().stream().map(ProcedureRequest::scheduledStart)
                .filter(Objects::nonNull).map(d -> d.toLocalDate()).min(LocalDate::compareTo)
                .orElse(LocalDate.now(clock));
        if (!redecisions.anyScheduledOfsepStep(order)) {
            count("not_needed"); // not an MS order, or every step started: the PACS is not asked
            return List.of();
        }
        List<PriorStudy> studies;
        try {
            studies = studies(order.patient().id().trim(), order.patient().issuer(), false);
        } catch (PriorSourceException e) {
            String reason = PriorFacts.unavailableReason(checkedAt, source.describe(), e.getMessage());
            List<JdbcRedecisions.Outcome> out = redecisions.redecide(order, p -> p, d -> PriorFacts.withReason(d, reason),
                    SOURCE, "PACS not asked: " + e.getMessage());
            log(out);
            return out;
        }
        Set<String> own = order.procedures().stream().map(ProcedureRequest::studyInstanceUid).filter(Objects::nonNull)
                .map(String::trim).collect(Collectors.toSet());
        List<PriorStudy> others = studies.stream().filter(s -> !own.contains(s.studyInstanceUid())).toList();
        PriorFindings f = PriorClassifier.classify(m.priorRules(), others, reference, null);
        String reason = PriorFacts.reason(f, settings.lookbackYears(), checkedAt, source.describe());
        List<JdbcRedecisions.Outcome> out = redecisions.redecide(order, p -> PriorFacts.withPriors(m, p, f),
                d -> PriorFacts.withReason(d, reason, f, source.describe()), SOURCE, reason);
        log(out);
        return out;
    }

    private void log(List<JdbcRedecisions.Outcome> out) {
        for (JdbcRedecisions.Outcome o : out) {
            Counter.builder("mwl_priors_redecisions").description("Steps decided again after the PACS lookup")
                    .tag("kind", o.kind().name()).register(registry).increment();
            if (o.kind() == JdbcRedecisions.Kind.CHANGED) {
                LOG.info("Priors: step {} decided again: {}{} -> {}{}", o.spsId(), card(o.before()), gd(o.before()),
                        card(o.after()), gd(o.after()));
            } else {
                LOG.debug("Priors: step {} {}", o.spsId(), o.kind());
            }
        }
    }

    private static String card(Decision d) {
        return d == null || d.examCard() == null ? "-" : d.examCard().name();
    }

    private static String gd(Decision d) {
        return d != null && d.contrast() ? " with Gd" : " without Gd";
    }

    /**
     * The patient's MR studies from the PACS, from the cache when fresh (unless {@code fresh}).
     *
     * @throws PriorSourceException when the PACS cannot be asked
     */
    public List<PriorStudy> studies(String patientId, String issuer, boolean fresh) throws PriorSourceException {
        String key = patientId + "|" + (issuer == null ? "" : issuer.trim());
        Instant now = clock.instant();
        Cached c = fresh ? null : cache.get(key);
        if (c != null && c.at().plus(settings.cacheTtl()).isAfter(now)) {
            count("cached");
            return c.studies();
        }
        LocalDate today = LocalDate.now(clock);
        PriorQuery q = new PriorQuery(patientId, issuer, today.minusYears(settings.lookbackYears()), today);
        long t0 = System.nanoTime();
        try {
            List<PriorStudy> studies = source.find(q);
            latencyOk.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            count("ok");
            lastSuccess = clock.instant();
            cache.put(key, new Cached(List.copyOf(studies), clock.instant()));
            return studies;
        } catch (PriorSourceException e) {
            latencyFailed.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            count("failed");
            lastFailure = clock.instant();
            lastError = e.getMessage();
            LOG.warn("Priors: the PACS ({}) could not be asked: {}", source.describe(), e.getMessage());
            throw e;
        }
    }

    private void count(String outcome) {
        Counter.builder("mwl_priors_lookups").description("PACS prior lookups by outcome (ok, failed, cached,"
                + " skipped, not_needed, error)").tag("outcome", outcome).register(registry).increment();
    }

    /** The /health section: UP after the last lookup succeeded, DOWN after it failed, UNKNOWN before any. */
    public Map<String, Object> health() {
        Map<String, Object> h = new LinkedHashMap<>();
        Instant ok = lastSuccess;
        Instant bad = lastFailure;
        String state = ok == null && bad == null ? "UNKNOWN" : bad != null && (ok == null || bad.isAfter(ok)) ? "DOWN" : "UP";
        h.put("source", source.describe());
        h.put("state", state);
        h.put("lastSuccess", ok == null ? null : ok.toString());
        h.put("lastFailure", bad == null ? null : bad.toString());
        h.put("lastError", lastError);
        h.put("running", running.get());
        h.put("queued", pool.getQueue().size());
        h.put("cachedPatients", cache.size());
        return h;
    }

    public boolean down() {
        return "DOWN".equals(health().get("state"));
    }

    /** Waits until no lookup runs or waits (tests, bench), at most {@code timeout}. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (pool.getQueue().isEmpty() && pool.getActiveCount() == 0) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Lets the running lookups end (no interrupt: a store write may be under way), drops the waiting ones. */
    @Override
    public void close() {
        int dropped = pool.getQueue().size();
        pool.getQueue().clear();
        pool.shutdown();
        try {
            if (!pool.awaitTermination(settings.timeout().toSeconds() * 3 + 5, TimeUnit.SECONDS)) {
                LOG.warn("Priors lookups still running at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (dropped > 0) {
            LOG.info("Priors: {} waiting lookup(s) dropped at shutdown; their intake decisions stay", dropped);
        }
    }

    static Map<JdbcRedecisions.Kind, Long> summary(List<JdbcRedecisions.Outcome> out) {
        Map<JdbcRedecisions.Kind, Long> m = new EnumMap<>(JdbcRedecisions.Kind.class);
        out.forEach(o -> m.merge(o.kind(), 1L, Long::sum));
        return m;
    }
}
