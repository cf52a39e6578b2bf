package org.ofsep.mwl.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.order.ProcedureRequest;

class MappingHolderTest {
    private static final ProcedureRequest NO_RULE = new ProcedureRequest("A", null,
            new ProtocolCode("24590-2", "LN", null), null, "MR", null, null, null, null, null, Map.of(), List.of());
    private static final String GOOD_EDIT_FROM = "  default: MR_SIEMENS";
    private static final String GOOD_EDIT_TO = "  default: MR_GE";
    private static final String LINEAR_FROM = "      - name: gadoteridol\n";
    private static final String LINEAR_TO = "      - name: gadodiamide\n";

    /** Bounded wait with polling: no wall-clock luck, at most 10 s. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }

    private static Path copyShipped(Path dir) throws Exception {
        Path f = dir.resolve("mapping.yaml");
        Files.writeString(f, ShippedMapping.text());
        return f;
    }

    @Test
    void watcherSwapsInAValidEditAndRefusesAnInvalidOne(@TempDir Path dir) throws Exception {
        Path f = copyShipped(dir);
        try (MappingHolder holder = new MappingHolder(f, Duration.ofMillis(50), Clock.systemUTC())) {
            List<MappingSnapshot> seen = new CopyOnWriteArrayList<>();
            holder.addListener(seen::add);
            assertThat(holder.current().selectStation(null, NO_RULE).aeTitle()).isEqualTo("MR_SIEMENS");
            assertThat(holder.lastError()).isNull();

            Files.writeString(f, ShippedMapping.edit(GOOD_EDIT_FROM, GOOD_EDIT_TO));
            await(() -> holder.current().selectStation(null, NO_RULE).aeTitle().equals("MR_GE"));
            assertThat(holder.lastError()).isNull();
            await(() -> seen.size() == 1);
            MappingSnapshot good = holder.current();

            Files.writeString(f, ShippedMapping.edit(LINEAR_FROM, LINEAR_TO));
            // Files.writeString truncates before it writes: on a loaded machine the watcher may read the empty
            // file twice and refuse it ("the mapping file is empty") before it reads the edit, so wait for the
            // edit's own refusal
            await(() -> holder.lastError() != null && holder.lastError().contains("linear"));
            assertThat(holder.current()).isSameAs(good);
            assertThat(holder.lastError()).contains("policies.dose.agents[2].name").contains("linear");
            assertThat(holder.lastErrors()).singleElement()
                    .satisfies(e -> assertThat(e.file()).isEqualTo(f.toString()));
            assertThat(holder.lastAttempt()).isAfterOrEqualTo(holder.lastGoodLoad());
            assertThat(seen).hasSize(1);

            Files.writeString(f, ShippedMapping.text());
            await(() -> holder.lastError() == null);
            assertThat(holder.current().selectStation(null, NO_RULE).aeTitle()).isEqualTo("MR_SIEMENS");
        }
    }

    @Test
    void checkNowReloadsOnlyWhenTheFileChanged(@TempDir Path dir) throws Exception {
        Path f = copyShipped(dir);
        MutableClock clock = new MutableClock(Instant.parse("2026-03-16T08:00:00Z"));
        try (MappingHolder holder = new MappingHolder(f, Duration.ZERO, clock)) {
            assertThat(holder.lastGoodLoad()).isEqualTo(clock.now);
            clock.now = clock.now.plusSeconds(5);
            assertThat(holder.checkNow()).isFalse();
            assertThat(holder.lastGoodLoad()).isEqualTo(Instant.parse("2026-03-16T08:00:00Z"));

            Files.writeString(f, ShippedMapping.edit(LINEAR_FROM, LINEAR_TO));
            assertThat(holder.checkNow()).isFalse();
            assertThat(holder.lastAttempt()).isEqualTo(clock.now);
            assertThat(holder.lastGoodLoad()).isEqualTo(Instant.parse("2026-03-16T08:00:00Z"));
            assertThat(holder.lastError()).contains("linear");

            clock.now = clock.now.plusSeconds(5);
            Files.writeString(f, ShippedMapping.edit(GOOD_EDIT_FROM, GOOD_EDIT_TO));
            assertThat(holder.checkNow()).isTrue();
            assertThat(holder.lastGoodLoad()).isEqualTo(clock.now);
            assertThat(holder.lastError()).isNull();
        }
    }

    @Test
    void aDeletedFileKeepsTheLastGoodMapping(@TempDir Path dir) throws Exception {
        Path f = copyShipped(dir);
        try (MappingHolder holder = new MappingHolder(f, Duration.ZERO, Clock.systemUTC())) {
            MappingSnapshot before = holder.current();
            Files.delete(f);
            assertThat(holder.checkNow()).isFalse();
            assertThat(holder.current()).isSameAs(before);
            assertThat(holder.lastError()).contains("cannot read");
            Files.writeString(f, ShippedMapping.text());
            assertThat(holder.checkNow()).isTrue();
            assertThat(holder.lastError()).isNull();
        }
    }

    @Test
    void anInvalidFileAtStartIsFatal(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("mapping.yaml");
        Files.writeString(f, ShippedMapping.edit(LINEAR_FROM, LINEAR_TO));
        assertThatThrownBy(() -> new MappingHolder(f)).isInstanceOf(MappingException.class)
                .hasMessageContaining("linear");
    }

    private static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void theWatcherLoadsAFileOnlyOnceItHasSettled(@TempDir Path dir) throws Exception {
        // an editor writing in place may be read half-way: the watcher waits for the same bytes on two polls
        Path f = copyShipped(dir);
        try (MappingHolder holder = new MappingHolder(f, Duration.ZERO, Clock.systemUTC())) {
            List<MappingSnapshot> seen = new CopyOnWriteArrayList<>();
            holder.addListener(seen::add);
            MappingSnapshot before = holder.current();
            String edit = ShippedMapping.edit(GOOD_EDIT_FROM, GOOD_EDIT_TO);

            Files.writeString(f, edit.substring(0, edit.length() / 2)); // caught half-written
            assertThat(holder.poll()).isFalse();
            assertThat(holder.lastError()).isNull(); // not refused: not read as an edit at all
            Files.writeString(f, edit);               // the write completes
            assertThat(holder.poll()).isFalse();      // changed since the last poll: not yet
            assertThat(holder.current()).isSameAs(before);
            assertThat(holder.poll()).isTrue();       // the same bytes twice: loaded
            assertThat(holder.current().selectStation(null, NO_RULE).aeTitle()).isEqualTo("MR_GE");
            assertThat(holder.lastError()).isNull();
            assertThat(seen).hasSize(1);
            assertThat(holder.poll()).isFalse();      // nothing new

            // a half-written file that stays so is refused like any bad edit, and the last good mapping stays
            Files.writeString(f, edit.substring(0, edit.length() / 2));
            assertThat(holder.poll()).isFalse();
            assertThat(holder.lastError()).isNull();
            assertThat(holder.poll()).isFalse();
            assertThat(holder.lastError()).isNotNull();
            assertThat(holder.current().selectStation(null, NO_RULE).aeTitle()).isEqualTo("MR_GE");
            assertThat(seen).hasSize(1);
        }
    }

    @Test
    void anExplicitReloadDoesNotWaitForTheFileToSettle(@TempDir Path dir) throws Exception {
        Path f = copyShipped(dir);
        try (MappingHolder holder = new MappingHolder(f, Duration.ZERO, Clock.systemUTC())) {
            Files.writeString(f, ShippedMapping.edit(GOOD_EDIT_FROM, GOOD_EDIT_TO));
            assertThat(holder.checkNow()).isTrue();
            assertThat(holder.current().selectStation(null, NO_RULE).aeTitle()).isEqualTo("MR_GE");
        }
    }
}
