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
import java.util.ArrayList;
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
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.mapping.Mapping;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.order.OrderAction;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.ProcedureRequest;
import org.ofsep.mwl.core.priors.PriorAnswer;
import org.ofsep.mwl.core.priors.PriorClassifier;
import org.ofsep.mwl.core.decision.PriorFacts;
import org.ofsep.mwl.core.priors.PriorFindings;
import org.ofsep.mwl.core.priors.PriorQuery;
import org.ofsep.mwl.core.priors.PriorSource;
import org.ofsep.mwl.core.priors.PriorSourceException;
import org.ofsep.mwl.core.priors.PriorStudy;
import org.ofsep.mwl.core.domain.PacsPriors;
import org.ofsep.mwl.core.domain.Patient;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.order.OrderService;
import org.ofsep.mwl.store.priors.JdbcPriorLookupQueue;
import org.ofsep.mwl.store.priors.JdbcRedecisions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PACS prior lookup of every committed order, after its ACK: a bounded pool (at most {@code maxConcurrent}
 * lookups at once), a small per-patient cache of the PACS's answers, and the re-decision of the order's scheduled
 * steps with what the PACS returned ({@link JdbcRedecisions}). A PACS that is down, slow or refusing leaves the
 * intake decision in force, with a reason saying the PACS could not be asked.
 *
 * <p>Nothing is lost on a stop or a crash: {@link #intake} writes the lookup in the transaction that stores the
 * order ({@link JdbcPriorLookupQueue}, V9 {@code prior_lookup}); the row goes once the re-decision is written.
 * The row names the order's message in the message log (V14: its id, written by the HL7 layer in the same
 * transaction, {@link OrderService#apply(OrderMessage, long)}) instead of copying the order; a row read back from
 * the database gets its order by parsing that message again with the intake's parser. A row whose message is gone
 * (trimmed by the log's retention) or no longer parses is dropped: logged at WARN, counted as {@code error}.
 * The instance that took the order works it at once from memory; rows left by a stop, a crash or a failed attempt
 * are claimed by a drainer (at start, then every {@link #POLL}) on whichever instance shares the database. At
 * most {@code queueSize} lookups are handed to this instance's pool: beyond, an order's lookup waits in the database,
 * unclaimed, until a drainer finds room for it (counted as {@code deferred}); none is dropped.
 * A lookup the PACS did not answer is tried again {@code retries} times, {@code retryAfter} apart (doubling), then at
 * the pace of the last of them (at most {@link #SLOW_RETRY}) until its first exam begins: a PACS down for the night
 * is asked again before the morning's exams. The first failure writes its reason on the steps, the later ones do not.
 *
 * <p>Logs carry no patient data: the order is named by its placer order number's steps (SPS IDs).
 */
public final class PriorLookups implements Consumer<OrderMessage>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PriorLookups.class);
    private static final DateTimeFormatter CHECKED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");
    public static final String SOURCE = "PRIORS";

    /** Settings read from gateway.yaml {@code priors}. */
    /**
     * @param defaultIssuer the Issuer of Patient ID of an order that names none (priors.defaultIssuer), or null
     */
    public record Settings(Duration timeout, int lookbackYears, int maxConcurrent, int queueSize, Duration cacheTtl,
                           int cacheSize, int retries, Duration retryAfter, int busyConcurrent, int busyOrders,
                           Duration busyWindow, String defaultIssuer) {
        public Settings {
            defaultIssuer = defaultIssuer == null || defaultIssuer.isBlank() ? null : defaultIssuer.trim();
        }

        public Settings(Duration timeout, int lookbackYears, int maxConcurrent, int queueSize, Duration cacheTtl,
                        int cacheSize, int retries, Duration retryAfter, int busyConcurrent, int busyOrders,
                        Duration busyWindow) {
            this(timeout, lookbackYears, maxConcurrent, queueSize, cacheTtl, cacheSize, retries, retryAfter,
                    busyConcurrent, busyOrders, busyWindow, null);
        }

        public Settings(Duration timeout, int lookbackYears, int maxConcurrent, int queueSize, Duration cacheTtl,
                        int cacheSize) {
            this(timeout, lookbackYears, maxConcurrent, queueSize, cacheTtl, cacheSize, 3, Duration.ofMinutes(1));
        }

        public Settings(Duration timeout, int lookbackYears, int maxConcurrent, int queueSize, Duration cacheTtl,
                        int cacheSize, int retries, Duration retryAfter) {
            this(timeout, lookbackYears, maxConcurrent, queueSize, cacheTtl, cacheSize, retries, retryAfter, 0, 5,
                    Duration.ofSeconds(1));
        }

        /** How long this instance holds a claimed row without renewing it: then another instance may take it. */
        Duration hold() {
            return Duration.ofSeconds(Math.max(30, timeout.toSeconds() * 3 + 10));
        }
    }

    /** How often the drainer looks for lookups left in the database and renews this instance's claims. */
    static final Duration POLL = Duration.ofSeconds(2);

    /**
     * Lookups yield to intake: while orders are arriving in bulk (at least {@code busyOrders} taken in the last
     * {@code window}) at most {@code busy} lookups run at once (PACS association, C-FIND and re-decision commit
     * together; 0: none starts); otherwise up to {@code full}. A lookup waiting here keeps its durable row
     * ({@code prior_lookup}, claimed by this instance): nothing is lost, it is only later. A trickle of orders
     * (fewer than {@code busyOrders} per window) never holds a lookup back.
     */
    static final class IntakeGate {
        private final int busy;
        private final int full;
        private final long windowNanos;
        /** When the last {@code busyOrders} orders were taken (System.nanoTime), a ring. */
        private final java.util.concurrent.atomic.AtomicLongArray recent;
        private final java.util.concurrent.atomic.AtomicLong orders = new java.util.concurrent.atomic.AtomicLong();
        private int active;
        private final java.util.concurrent.atomic.AtomicLong startedYielding = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong startedFull = new java.util.concurrent.atomic.AtomicLong();

        IntakeGate(int busy, int full, int busyOrders, Duration window) {
            this.full = Math.max(1, full);
            this.busy = Math.max(0, Math.min(busy, this.full));
            this.windowNanos = window.toNanos();
            this.recent = new java.util.concurrent.atomic.AtomicLongArray(Math.max(1, busyOrders));
        }

        /** An order was taken (the HL7 thread, before its ACK). */
        void order() {
            long k = orders.getAndIncrement();
            recent.set((int) (k % recent.length()), System.nanoTime());
        }

        /** Whether orders are arriving in bulk: the {@code busyOrders}-th latest was taken within the window. */
        boolean busy() {
            long k = orders.get();
            int n = recent.length();
            if (k < n) {
                return false;
            }
            return System.nanoTime() - recent.get((int) (k % n)) < windowNanos;
        }

        /** Lookups allowed at once now. */
        int limit() {
            return busy() ? busy : full;
        }

        /**
         * Waits for a turn (at most {@link #limit()} lookups at once); false when {@code stop} says to give up
         * (the instance stops: the lookup stays in the database).
         */
        synchronized boolean enter(java.util.function.BooleanSupplier stop) throws InterruptedException {
            while (active >= limit()) {
                if (stop.getAsBoolean()) {
                    return false;
                }
                wait(Math.max(1, Math.min(50, windowNanos / 1_000_000)));
            }
            (busy() ? startedYielding : startedFull).incrementAndGet();
            active++;
            return true;
        }

        synchronized void exit() {
            active--;
            notifyAll();
        }

        /** Lookups started while orders were arriving (at most {@code busy} at once). */
        long startedYielding() {
            return startedYielding.get();
        }

        /** Lookups started while intake was quiet. */
        long startedFull() {
            return startedFull.get();
        }
    }

    /** A lookup handed from the intake transaction to the after-commit call on the same thread. */
    private record Handoff(OrderMessage order, long id) {
    }

    /** One lookup in the pool: its durable row, the order, the attempts already made. */
    private final class Job implements Runnable {
        final long id;
        final OrderMessage order;
        final int attempts;

        Job(long id, OrderMessage order, int attempts) {
            this.id = id;
            this.order = order;
            this.attempts = attempts;
        }

        @Override
        public void run() {
            PriorLookups.this.run(this);
        }
    }

    /** @param setAside studies left out because the PACS gave several issuers and the order named none */
    private record Cached(List<PriorStudy> studies, Instant at, int setAside) {
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
    private final JdbcPriorLookupQueue queue;
    private final String owner;
    private final ThreadLocal<Handoff> handoff = new ThreadLocal<>();
    /** Rows this instance holds in memory (waiting in the pool or running). */
    private final Set<Long> held = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Whether lookups are being deferred to the database (logged once per burst). */
    private final java.util.concurrent.atomic.AtomicBoolean deferring = new java.util.concurrent.atomic.AtomicBoolean();
    /** Rows claimed at intake that the pool could not take: given back by the drainer. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Long> toRelease = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Lookups waiting in the database (all instances), as last counted plus those added since. */
    private final AtomicInteger backlog = new AtomicInteger();
    private final java.util.concurrent.ScheduledExecutorService drainer;
    private final IntakeGate gate;
    /** When this instance last renewed its claims (System.nanoTime). */
    private long lastRenew = System.nanoTime();
    private volatile boolean closed;
    /** The intake's parser, for the lookups read back from the database ({@link #start}). */
    private volatile Function<String, OrderMessage> loggedOrder;
    private volatile Instant lastSuccess;
    private volatile Instant lastFailure;
    private volatile String lastError;

    /**
     * @param queue the durable lookups (V9), shared by the instances of one database
     * @param owner this instance's name in the claims (host, pid, port)
     */
    public PriorLookups(PriorSource source, Settings settings, Supplier<Mapping> mapping, JdbcRedecisions redecisions,
                        JdbcPriorLookupQueue queue, String owner, Clock clock, MeterRegistry registry) {
        this.source = Objects.requireNonNull(source);
        this.queue = Objects.requireNonNull(queue);
        this.owner = Objects.requireNonNull(owner);
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
        io.micrometer.core.instrument.Gauge.builder("mwl_priors_lookups_pending", backlog, AtomicInteger::get)
                .description("PACS lookups waiting in the database (every instance; at most priors.queueSize are"
                        + " handed to a pool, the others wait here until there is room)").register(registry);
        this.gate = new IntakeGate(settings.busyConcurrent(), settings.maxConcurrent(), settings.busyOrders(),
                settings.busyWindow());
        io.micrometer.core.instrument.Gauge.builder("mwl_priors_yielding", gate, g -> g.busy() ? 1 : 0)
                .description("1 while orders are arriving in bulk (at least priors.busyOrders in the last"
                        + " priors.busyWindowMillis) and the PACS lookups yield to intake (at most"
                        + " priors.busyConcurrent at once), 0 when they run at priors.maxConcurrent").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("mwl_priors_lookups_started", gate,
                        IntakeGate::startedYielding).tag("mode", "yielding")
                .description("PACS lookups started, while orders were arriving (yielding: at most"
                        + " priors.busyConcurrent at once) or while intake was quiet (full)").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("mwl_priors_lookups_started", gate,
                        IntakeGate::startedFull).tag("mode", "full")
                .description("PACS lookups started, while orders were arriving (yielding: at most"
                        + " priors.busyConcurrent at once) or while intake was quiet (full)").register(registry);
        this.drainer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "priors-drainer");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Makes the lookups {@code previousOwner} still holds due at once, before {@link #start()}: it was this gateway's
     * previous run on the same data directory, known gone (the serve lock was free), so its claims need not lapse.
     * Another instance's claims are never touched (another owner name).
     */
    public int takeOverFrom(String previousOwner) {
        try {
            int n = queue.releaseAll(previousOwner);
            if (n > 0) {
                LOG.info("Priors: {} lookup(s) held by the previous run of this gateway (gone) are taken up now", n);
            }
            return n;
        } catch (RuntimeException e) {
            LOG.warn("Priors: the previous run's lookups could not be taken over (taken up once their claims lapse):"
                    + " {}", e.toString());
            return 0;
        }
    }

    /**
     * Starts the drainer: the lookups left in the database (a stop, a crash, a retry) are taken up now.
     *
     * @param loggedOrder the intake's parser ({@code Hl7Gateway.loggedOrder}): a durable lookup names the order's
     *                    message in the message log, and the order is read back from its raw text with it
     */
    public PriorLookups start(Function<String, OrderMessage> loggedOrder) {
        this.loggedOrder = Objects.requireNonNull(loggedOrder);
        drainer.scheduleWithFixedDelay(this::drain, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * The order service the HL7 listener uses: after an order is applied, inside its transaction, the lookup is
     * written ({@code prior_lookup}) when the order has an OFSEP step still SCHEDULED; it commits with the order
     * and its AA. {@link #accept} (after the commit) hands it to the pool.
     */
    public OrderService intake(OrderService orders) {
        return new OrderService() {
            @Override
            public List<WorklistItem> apply(OrderMessage order) {
                return apply(order, 0);
            }

            /** @param messageId the order's message log row (same transaction): what the durable row names */
            @Override
            public List<WorklistItem> apply(OrderMessage order, long messageId) {
                handoff.remove();
                gate.order();
                List<WorklistItem> items = messageId > 0 ? orders.apply(order, messageId) : orders.apply(order);
                if (wanted(order) && items.stream().anyMatch(i -> i.status() == SpsStatus.SCHEDULED
                        && i.decision() != null && i.decision().ofsep())) {
                    if (backlog.get() >= settings.queueSize()) {
                        // queueSize lookups wait already: this one waits in the database, unclaimed and due now,
                        // and a drainer (of any instance) takes it up as soon as a pool has room. A burst of orders
                        // (a RIS sending the day's orders, or its backlog after an outage) is looked up in full,
                        // at the PACS's pace, instead of keeping its intake decisions without asking the PACS.
                        queue.add(order, messageId, null, Duration.ZERO);
                        handoff.set(new Handoff(order, -1));
                    } else {
                        // after close (the HL7 listener stops after this), the row is due at once for the next start
                        long id = queue.add(order, messageId, owner, closed ? Duration.ZERO : settings.hold());
                        handoff.set(new Handoff(order, id));
                    }
                }
                return items;
            }

            @Override
            public int updatePatient(Patient patient) {
                return orders.updatePatient(patient);
            }

            @Override
            public int mergePatient(Patient survivor, String oldPatientId, String oldIssuer) {
                int moved = orders.mergePatient(survivor, oldPatientId, oldIssuer);
                if (survivor != null && survivor.id() != null && !survivor.id().isBlank()) {
                    // the lookups still waiting for the survivor's steps are asked again at once, under the
                    // survivor's ID (their messages name the merged one), in the merge's transaction
                    int again = queue.relookupAfterMerge(survivor.id().trim(), survivor.issuer());
                    if (again > 0) {
                        LOG.info("Priors: patient merge: {} waiting lookup(s) asked again under the surviving ID",
                                again);
                    }
                }
                return moved;
            }
        };
    }

    public PriorSource source() {
        return source;
    }

    /**
     * Hands a committed order's lookup (written by {@link #intake} in its transaction) to the pool; returns at once
     * (the HL7 thread never waits for the PACS).
     */
    @Override
    public void accept(OrderMessage order) {
        Handoff h = handoff.get();
        handoff.remove();
        if (h == null || h.order() != order) {
            return;
        }
        if (h.id() < 0) {
            count("deferred");
            if (deferring.compareAndSet(false, true)) {
                LOG.warn("Priors: {} lookups already waiting (priors.queueSize): the next ones wait in the database"
                        + " and are done as the PACS answers", backlog.get());
            }
            return;
        }
        backlog.incrementAndGet();
        submit(new Job(h.id(), order, 0));
    }

    private void submit(Job job) {
        held.add(job.id);
        try {
            if (closed) {
                throw new RejectedExecutionException("closed");
            }
            pool.execute(job);
        } catch (RejectedExecutionException e) {
            held.remove(job.id);
            toRelease.add(job.id); // the drainer (or close) gives it back; taken up again when there is room
        }
    }

    /** Gives back refused rows, renews this instance's claims, and claims the due rows the pool has room for. */
    private void drain() {
        try {
            List<Long> back = new ArrayList<>();
            for (Long id; (id = toRelease.poll()) != null; ) {
                back.add(id);
            }
            queue.release(back, owner);
            // claims are renewed when a third of the hold has passed, not at every poll: one UPDATE of every row
            // this instance holds (up to queueSize) every 2 s would compete with intake for the commit
            long now = System.nanoTime();
            if (!held.isEmpty() && now - lastRenew >= settings.hold().toNanos() / 3) {
                queue.renew(owner, settings.hold());
                lastRenew = now;
            }
            // batches of at most 100 claims (each a small commit); while intake is quiet the batches follow each
            // other until the pool has queueSize waiting or nothing is due, so a backlog deferred during a burst is
            // caught up at the pace of the lookups, not of this poll
            boolean more = true;
            while (more && !closed) {
                int room = Math.min(100, Math.max(1, settings.queueSize()) - pool.getQueue().size());
                boolean busy = gate.busy();
                if (busy) {
                    // while orders arrive the pool works at most busyConcurrent at a time: claim only what keeps
                    // it busy (each claim is a commit that would compete with intake); the rest stay due
                    room = Math.min(room, 2 * settings.maxConcurrent() - pool.getQueue().size());
                    if (settings.busyConcurrent() == 0) {
                        room = 0; // none would start now
                    }
                }
                if (room <= 0) {
                    break;
                }
                List<JdbcPriorLookupQueue.Pending> claimed = queue.claimDue(owner, room, settings.hold(), loggedOrder);
                for (JdbcPriorLookupQueue.Pending p : claimed) {
                    if (p.order() == null) {
                        // its row is gone: the intake decision stays (no patient data in the reason)
                        count("error");
                        backlog.decrementAndGet();
                        LOG.warn("Priors: pending lookup #{} dropped, the intake decision stays: {}", p.id(),
                                p.unreadable());
                        continue;
                    }
                    if (held.contains(p.id())) {
                        continue; // already in this pool (its claim had lapsed)
                    }
                    submit(new Job(p.id(), p.order(), p.attempts()));
                }
                more = !busy && claimed.size() == room;
            }
            backlog.set(queue.depth());
            if (backlog.get() < settings.queueSize() && deferring.compareAndSet(true, false)) {
                LOG.info("Priors: the lookups deferred to the database are being taken up");
            }
        } catch (RuntimeException e) {
            LOG.warn("Priors: the pending lookups could not be read or claimed: {}", e.toString());
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

    private void run(Job job) {
        try {
            if (!gate.enter(() -> closed)) {
                toRelease.add(job.id); // stopping: given back by close(), taken up at the next start
                held.remove(job.id);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            toRelease.add(job.id);
            held.remove(job.id);
            return;
        }
        running.incrementAndGet();
        try {
            boolean answered;
            boolean rowDone;
            // after the retries at a doubling pace, tried again at the last one's pace until the exam: a PACS down for
            // the night is asked again in the morning, before the first exams (it was given up after ~3 minutes)
            boolean quickDone = job.attempts + 1 >= Math.max(1, settings.retries());
            boolean last = quickDone && examBegun(job.order);
            try {
                Result r = lookup(job.order, job.id, last, job.attempts == 0 || last);
                answered = r.answered();
                rowDone = r.rowDone();
            } catch (RuntimeException e) {
                count("error");
                LOG.warn("Priors re-decision failed: {}", e.toString());
                answered = false;
                rowDone = false;
            }
            if (answered || last) {
                if (!rowDone) {
                    queue.done(job.id);
                }
                backlog.decrementAndGet();
                if (!answered) {
                    // said once, when it stops: the intake decision is what the console keeps
                    LOG.warn("Priors: lookup #{} given up after {} attempt(s): its exam has begun; the intake "
                            + "decision stays", job.id, job.attempts + 1);
                }
            } else {
                Duration wait = settings.retryAfter().multipliedBy(1L << Math.min(10, job.attempts));
                if (quickDone) {
                    // the pace of the last doubling, at most SLOW_RETRY (4 min with the defaults: 60 s doubled twice)
                    wait = settings.retryAfter().multipliedBy(1L << Math.min(10, Math.max(0, settings.retries() - 1)));
                    wait = wait.compareTo(SLOW_RETRY) > 0 ? SLOW_RETRY : wait;
                    if (job.attempts + 1 == Math.max(1, settings.retries())) {
                        LOG.warn("Priors: lookup #{} not answered after {} attempt(s): asked again every {} until "
                                + "its exam; the intake decision stays meanwhile", job.id, job.attempts + 1,
                                wait.toSeconds() < 60 ? wait.toSeconds() + " s" : wait.toMinutes() + " min");
                    }
                } else if (wait.compareTo(SLOW_RETRY) > 0) {
                    wait = SLOW_RETRY;
                }
                queue.retryAt(job.id, clock.instant().plus(wait));
                count("retry_scheduled");
            }
        } catch (RuntimeException e) {
            LOG.warn("Priors: the pending lookup could not be updated (taken up again later): {}", e.toString());
        } finally {
            held.remove(job.id);
            running.decrementAndGet();
            gate.exit();
        }
    }

    /** The longest wait between two attempts: after {@code retries}, they go on at most this far apart. */
    static final Duration SLOW_RETRY = Duration.ofMinutes(15);

    /** Whether the order's first exam has begun (or it has no scheduled start): no lookup can help it any more. */
    private boolean examBegun(OrderMessage order) {
        java.time.LocalDateTime first = order.procedures().stream().map(ProcedureRequest::scheduledStart)
                .filter(Objects::nonNull).min(java.time.LocalDateTime::compareTo).orElse(null);
        return first == null || !first.isAfter(java.time.LocalDateTime.now(clock));
    }

    /**
     * What one lookup did: the steps' outcomes, whether the PACS answered, and whether its durable row was deleted
     * with the re-decision (same transaction).
     */
    record Result(List<JdbcRedecisions.Outcome> outcomes, boolean answered, boolean rowDone) {
    }

    /** The lookup and re-decision of one order, on the calling thread (the pool's, or a test's). */
    public List<JdbcRedecisions.Outcome> lookupAndRedecide(OrderMessage order) {
        return lookup(order, 0, false).outcomes();
    }

    /**
     * @param row  the lookup's durable row (0 for none): deleted in the re-decision's transaction once the lookup
     *             is done (the PACS answered, or it could not be asked and {@code last})
     * @param last whether no attempt follows this one
     */
    Result lookup(OrderMessage order, long row, boolean last) {
        return lookup(order, row, last, true);
    }

    /** @param note whether a failure writes its reason on the steps (the first attempt, and the last) */
    Result lookup(OrderMessage order, long row, boolean last, boolean note) {
        String checkedAt = ZonedDateTime.now(clock).format(CHECKED_AT);
        MappingSnapshot m = MappingSnapshot.of(mapping.get());
        LocalDate reference = order.procedures().stream().map(ProcedureRequest::scheduledStart)
                .filter(Objects::nonNull).map(d -> d.toLocalDate()).min(LocalDate::compareTo)
                .orElse(LocalDate.now(clock));
        JdbcRedecisions.Target target = redecisions.lookupTarget(order);
        if (target == null) {
            count("not_needed"); // not an MS order, or every step started: the PACS is not asked
            return new Result(List.of(), true, false);
        }
        Set<String> stored = target.ownStudies();
        // the patient as the steps hold it: after a merge (ADT^A40) the survivor, the message naming the merged ID
        Patient patient = target.patient().id() == null || target.patient().id().isBlank() ? order.patient()
                : target.patient();
        Cached answer;
        try {
            answer = answer(patient.id().trim(), patient.issuer(), false);
        } catch (PriorSourceException e) {
            if (!note && !last) {
                // a later attempt that fails as the first did: the reasons already say the PACS could not be
                // asked (rewriting them at every attempt of a long outage would fill the step's history)
                return new Result(List.of(), false, false);
            }
            String reason = PriorFacts.unavailableReason(checkedAt, source.describe(), e.getMessage());
            List<JdbcRedecisions.Outcome> out = redecisions.redecide(order, null, d -> PriorFacts.withReason(d, reason),
                    SOURCE, "PACS not asked: " + e.getMessage(), row, last);
            log(out);
            return new Result(out, false, last && row > 0);
        }
        Set<String> own = new java.util.HashSet<>(order.procedures().stream().map(ProcedureRequest::studyInstanceUid)
                .filter(Objects::nonNull).map(String::trim).collect(Collectors.toSet()));
        // the exam's own study, with the UID the gateway generated: once the console's images reach the PACS (a
        // lookup retried after the exam, a console without MPPS), it would be found as its own comparable prior
        own.addAll(stored);
        PacsPriors pacs = pacsPriors(m, answer, own, accessions(order), reference);
        List<JdbcRedecisions.Outcome> out = redecisions.redecide(order, pacs, d -> d, SOURCE, pacs.reason(), row, true);
        if (out.stream().anyMatch(o -> o.kind() == JdbcRedecisions.Kind.SUPERSEDED)) {
            LOG.info("Priors: lookup #{} superseded by a newer message of its order: that message's lookup decides", row);
        }
        log(out);
        return new Result(out, true, row > 0);
    }

    /**
     * What the PACS's answer gives the decision: the studies other than the order's own, classified with the
     * mapping's prior rules on the exam date; the reason names the time of the PACS's answer (so a decision made
     * at intake from the cache and the re-decision after the lookup agree).
     */
    private PacsPriors pacsPriors(MappingSnapshot m, Cached answer, Set<String> own, Set<String> ownAccessions,
                                  LocalDate reference) {
        // the exam's own study by its UID, or by the order's accession number: a console that made its own Study
        // Instance UID (not the worklist's) sends the exam's images under the order's accession
        List<PriorStudy> others = answer.studies().stream().filter(s -> !own.contains(s.studyInstanceUid())
                && (s.accessionNumber() == null || !ownAccessions.contains(s.accessionNumber().trim()))).toList();
        PriorFindings f = PriorClassifier.classify(m.priorRules(), others, reference, null);
        String checkedAt = ZonedDateTime.ofInstant(answer.at(), clock.getZone()).format(CHECKED_AT);
        String reason = PriorFacts.reason(f, settings.lookbackYears(), checkedAt, source.describe(),
                answer.setAside());
        return PriorFacts.of(f, reason, source.describe());
    }

    /**
     * At intake, on the HL7 thread, from memory only (never the PACS): the PACS's answer for the order's patient
     * when the per-patient cache holds a fresh one (an XO, a second order of the same patient within
     * {@code cacheMinutes}), else null. The intake decision is then the PACS-informed one at once.
     */
    public PacsPriors cachedPriors(Mapping mapping, OrderMessage order, ProcedureRequest procedure, String studyUid,
                                   LocalDate reference) {
        if (order == null || order.patient() == null || order.patient().id() == null
                || order.patient().id().isBlank()) {
            return null;
        }
        String issuer = order.patient().issuer() == null || order.patient().issuer().isBlank()
                ? settings.defaultIssuer() : order.patient().issuer();
        Cached c = cache.get(key(order.patient().id().trim(), issuer));
        if (c == null || !c.at().plus(settings.cacheTtl()).isAfter(clock.instant())) {
            return null;
        }
        Set<String> own = new java.util.HashSet<>();
        if (studyUid != null) {
            own.add(studyUid.trim());
        }
        if (procedure != null && procedure.studyInstanceUid() != null) {
            own.add(procedure.studyInstanceUid().trim());
        }
        count("cached_at_intake");
        return pacsPriors(MappingSnapshot.of(mapping), c, own, accessions(order), reference);
    }

    /** The order's accession numbers (its procedures' own), never those of a prior. */
    private static Set<String> accessions(OrderMessage order) {
        return order.procedures().stream().map(ProcedureRequest::accessionNumber).filter(Objects::nonNull)
                .map(String::trim).filter(a -> !a.isEmpty()).collect(Collectors.toSet());
    }

    private static String key(String patientId, String issuer) {
        return patientId + "|" + (issuer == null ? "" : issuer.trim());
    }

    private void log(List<JdbcRedecisions.Outcome> out) {
        for (JdbcRedecisions.Outcome o : out) {
            Counter.builder("mwl_priors_redecisions").description("Steps decided again after the PACS lookup")
                    .tag("kind", o.kind().name()).register(registry).increment();
            if (o.kind() == JdbcRedecisions.Kind.CHANGED) {
                LOG.info("Priors: step {} decided again: {}{} -> {}{}", o.spsId(), card(o.before()), gd(o.before()),
                        card(o.after()), gd(o.after()));
            } else if (o.kind() == JdbcRedecisions.Kind.STALE) {
                LOG.info("Priors: step {} not decided again: its decision is not this message's (a later change of"
                        + " the order, or its station left the mapping)", o.spsId());
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
        return answer(patientId, issuer, fresh).studies();
    }

    private Cached answer(String patientId, String orderIssuer, boolean fresh) throws PriorSourceException {
        // an order without issuer is the site's own patient when priors.defaultIssuer says which issuer that is: a
        // PACS shared with another hospital then never lends that hospital's studies to it
        String issuer = orderIssuer == null || orderIssuer.isBlank() ? settings.defaultIssuer() : orderIssuer;
        String key = key(patientId, issuer);
        Instant now = clock.instant();
        Cached c = fresh ? null : cache.get(key);
        if (c != null && c.at().plus(settings.cacheTtl()).isAfter(now)) {
            count("cached");
            return c;
        }
        LocalDate today = LocalDate.now(clock);
        PriorQuery q = new PriorQuery(patientId, issuer, today.minusYears(settings.lookbackYears()), today);
        long t0 = System.nanoTime();
        try {
            PriorAnswer found = source.answer(q);
            PriorAnswer studies = found.unambiguous(q);
            int severalIssuers = studies.count(PriorAnswer.Reason.SEVERAL_ISSUERS);
            if (severalIssuers > 0) {
                LOG.warn("Priors: the PACS returned this Patient ID under several issuers and the order names none: "
                        + "{} of its {} studies (those with an issuer) are not used", severalIssuers,
                        found.studies().size());
            }
            latencyOk.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            count("ok");
            lastSuccess = clock.instant();
            Cached answer = new Cached(studies.studies(), clock.instant(), severalIssuers);
            cache.put(key, answer);
            return answer;
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
                + " deferred, not_needed, error)").tag("outcome", outcome).register(registry).increment();
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
        h.put("pending", backlog.get());
        boolean busy = gate.busy();
        h.put("mode", busy ? "YIELDING_TO_INTAKE" : "FULL");
        h.put("concurrency", gate.limit());
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

    /**
     * Lets the running lookups end (no interrupt: a store write may be under way); the waiting ones are given back
     * to the database, due at once: the next start (or another instance) takes them up.
     */
    @Override
    public void close() {
        closed = true;
        drainer.shutdownNow();
        List<Runnable> waiting = new ArrayList<>();
        pool.getQueue().drainTo(waiting);
        pool.shutdown();
        try {
            if (!pool.awaitTermination(settings.timeout().toSeconds() * 3 + 5, TimeUnit.SECONDS)) {
                LOG.warn("Priors lookups still running at shutdown");
            }
            drainer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Long> back = new ArrayList<>(held);
        for (Long id; (id = toRelease.poll()) != null; ) {
            back.add(id);
        }
        try {
            queue.release(back, owner);
        } catch (RuntimeException e) {
            LOG.warn("Priors: {} waiting lookup(s) not given back at shutdown (taken up once their claim lapses): {}",
                    back.size(), e.toString());
            return;
        }
        if (!waiting.isEmpty()) {
            LOG.info("Priors: {} waiting lookup(s) kept in the database at shutdown; taken up at the next start",
                    waiting.size());
        }
    }

    static Map<JdbcRedecisions.Kind, Long> summary(List<JdbcRedecisions.Outcome> out) {
        Map<JdbcRedecisions.Kind, Long> m = new EnumMap<>(JdbcRedecisions.Kind.class);
        out.forEach(o -> m.merge(o.kind(), 1L, Long::sum));
        return m;
    }
}
