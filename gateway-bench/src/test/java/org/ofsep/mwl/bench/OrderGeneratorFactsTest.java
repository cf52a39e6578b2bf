package org.ofsep.mwl.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.Gateway;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.mapping.MappingHolder;
import org.ofsep.mwl.hl7.Hl7Request;
import org.ofsep.mwl.hl7.MessageParser;
import org.ofsep.mwl.store.Database;
import org.ofsep.mwl.store.DatabaseSettings;
import org.ofsep.mwl.store.service.JdbcOrderService;

/**
 * The benchmark's MS orders state each fact once, consistently: their clinical text and their structured
 * observations never contradict each other (a contradiction holds the order for a radiologist, which would make
 * the benchmark measure an unusual path for most of its orders), and the text reader finds what the text says.
 */
class OrderGeneratorFactsTest {

    @Test
    void generatedOrdersNeverContradictThemselves(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config");
        BenchStations.writeConfig(Path.of("../config"), config);
        List<WorklistItem> items = new ArrayList<>();
        try (MappingHolder holder = new MappingHolder(config.resolve("mapping.yaml"), Duration.ZERO,
                Clock.systemUTC()); Database db = Database.open(DatabaseSettings.h2(dir.resolve("data")))) {
            JdbcOrderService orders = new JdbcOrderService(db,
                    Gateway.orderPlanner(holder::current, "2.25", Clock.systemDefaultZone()));
            MessageParser parser = new MessageParser();
            for (String m : new OrderGenerator(LocalDate.now(), 30, 20261204L).orders(0, 300, 300)) {
                items.addAll(orders.apply(((Hl7Request.Order) parser.parse(m, StandardCharsets.UTF_8)).order()));
            }
        }
        List<WorklistItem> ms = items.stream().filter(i -> i.decision() != null && i.decision().ofsep()).toList();
        assertThat(ms).hasSizeGreaterThan(150);
        for (WorklistItem i : ms) {
            assertThat(i.decision().alerts()).as(i.accessionNumber())
                    .noneMatch(a -> a.toLowerCase().contains("conflict"));
            assertThat(i.decision().reasons()).as(i.accessionNumber())
                    .noneMatch(r -> r.toLowerCase().startsWith("conflict"));
        }
        // the text reader reads the previous MRI from the text when the order has no structured one
        assertThat(ms).anyMatch(i -> i.decision().facts().stream()
                .anyMatch(f -> f.source() != null && f.source().startsWith("OBR-13")));
    }
}
