package org.ofsep.mwl.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OrderGeneratorTest {
    private static final LocalDate DAY = LocalDate.of(2026, 11, 25);

    private static String field(String message, String segment, int index) {
        for (String seg : message.split("\r")) {
            if (seg.startsWith(segment + "|")) {
                String[] f = seg.split("\\|", -1);
                return index < f.length ? f[index] : "";
            }
        }
        return null;
    }

    @Test
    void ordersAreUniqueAndSpreadOverThirtyDaysAndTenStations() {
        OrderGenerator gen = new OrderGenerator(DAY, 30, 1);
        List<String> orders = gen.orders(0, 3000, 3000);
        Set<String> accessions = new HashSet<>();
        Set<String> stations = new HashSet<>();
        Set<String> days = new HashSet<>();
        for (String m : orders) {
            accessions.add(field(m, "OBR", 18));
            stations.add(field(m, "OBR", 21));
            String when = field(m, "OBR", 27).substring(3); // ^^^YYYYMMDDHHMM
            LocalDate day = LocalDate.parse(when.substring(0, 8), java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
            assertThat(day).isBetween(DAY, DAY.plusDays(29));
            assertThat(Integer.parseInt(when.substring(8, 10))).isBetween(7, 19);
            days.add(when.substring(0, 8));
        }
        assertThat(accessions).hasSize(3000);
        assertThat(stations).hasSize(BenchStations.COUNT);
        assertThat(days).hasSize(30);
    }

    @Test
    void aSliceIsTheSameAsTheWholeRunAndNamesItsStation() {
        OrderGenerator gen = new OrderGenerator(DAY, 30, 1);
        List<String> all = gen.orders(0, 100, 100);
        assertThat(gen.orders(40, 60, 100)).isEqualTo(all.subList(40, 60));
        for (int n = 0; n < 100; n++) {
            String[] acc = gen.accessionAndStation(n);
            assertThat(field(all.get(n), "OBR", 18)).isEqualTo(acc[0]);
            assertThat("MR_" + field(all.get(n), "OBR", 21).substring(3)).isEqualTo(acc[1]);
        }
    }

    @Test
    void percentilesUseNearestRank() {
        long[] nanos = new long[100];
        for (int i = 0; i < 100; i++) {
            nanos[i] = (100 - i) * 1_000_000L;
        }
        Percentiles p = Percentiles.of(nanos, 100);
        assertThat(p.p50Ms()).isEqualTo(50.0);
        assertThat(p.p99Ms()).isEqualTo(99.0);
        assertThat(p.maxMs()).isEqualTo(100.0);
    }
}
