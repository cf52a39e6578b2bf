package org.ofsep.mwl.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ofsep.mwl.core.decision.OfsepDecisionEngine;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.mapping.Mapping;
import org.ofsep.mwl.core.mapping.MappingHolder;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.planning.OrderPlanner;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.app.Gateway;
import org.ofsep.mwl.hl7.Hl7Request;
import org.ofsep.mwl.hl7.MessageParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU side of HL7 intake, without the store: parsing a generated ORM^O01 into an order, and the OFSEP
 * decision for its procedure (the mix of scripts/bench.sh: two in three MS orders with observations).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IntakeBench {
    private final MessageParser parser = new MessageParser();
    private final OfsepDecisionEngine engine = new OfsepDecisionEngine();
    private OrderPlanner planner;
    private List<String> messages;
    private List<OrderMessage> orders;
    private List<Station> stations;
    private MappingHolder holder;
    private Mapping mapping;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        holder = Fixture.mapping(Fixture.configDir());
        mapping = holder.current();
        planner = Gateway.orderPlanner(holder::current, "2.25", Clock.systemDefaultZone());
        messages = Fixture.orders(1000);
        orders = new ArrayList<>();
        stations = new ArrayList<>();
        for (String m : messages) {
            OrderMessage order = ((Hl7Request.Order) parser.parse(m, StandardCharsets.UTF_8)).order();
            orders.add(order);
            String ae = "MR_" + m.substring(m.indexOf("PV1|1|O|IRM") + 11, m.indexOf("PV1|1|O|IRM") + 13);
            stations.add(mapping.station(ae).orElseThrow());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        holder.close();
    }

    /** MLLP payload to order: HL7 tokenizing, segment and field extraction, validation. */
    @Benchmark
    public Object parseOrder() {
        int i = next++ % messages.size();
        return parser.parse(messages.get(i), StandardCharsets.UTF_8);
    }

    /** The OFSEP decision for one ordered procedure (no history: the prior MRI comes from the order's OBX). */
    @Benchmark
    public Decision decide() {
        int i = next++ % orders.size();
        OrderMessage order = orders.get(i);
        return engine.decide(mapping, order, order.procedures().get(0), stations.get(i), List.of(), Fixture.TODAY);
    }

    /**
     * The whole plan of a new order as the gateway makes it (the planner serve uses): station choice, decision,
     * worklist texts, step keys; the store part (reads and writes) is StoreIntakeBench's.
     */
    @Benchmark
    public OrderPlanner.Plan planOrder() {
        int i = next++ % orders.size();
        return planner.plan(planner.acceptAsNew(orders.get(i)), EMPTY_STORE);
    }

    private static final OrderPlanner.StoreView EMPTY_STORE = new OrderPlanner.StoreView() {
        private long ids;

        @Override
        public List<OrderPlanner.Step> stepsOfOrder(String placerOrderNumber) {
            return List.of();
        }

        @Override
        public List<PriorExam> history(String patientId) {
            return List.of();
        }

        @Override
        public long nextGeneratedId() {
            return ++ids;
        }
    };
}
