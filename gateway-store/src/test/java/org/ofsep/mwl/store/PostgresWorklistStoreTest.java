package org.ofsep.mwl.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresWorklistStoreTest extends WorklistStoreContract {
    @Override
    protected DatabaseSettings newDatabase() {
        return EmbeddedPg.newDatabase();
    }

    @Test
    void prefixWildcardOnPatientNameUsesAnIndex() {
        for (int i = 0; i < 300; i++) {
            add("IDX" + i, "I" + i, "PI" + i, "NAME" + i + "^X", "MR_IDX", "MR", MON_8.plusMinutes(i),
                    org.ofsep.mwl.core.domain.SpsStatus.SCHEDULED);
        }
        List<String> plan = db.read(c -> {
            List<String> lines = new ArrayList<>();
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE worklist_item");
                s.execute("SET enable_seqscan = off"); // small table: ask whether an index CAN serve the LIKE
                try (ResultSet rs = s.executeQuery("EXPLAIN SELECT id FROM worklist_item "
                        + "WHERE patient_name LIKE 'NAME12%' ESCAPE '!'")) {
                    while (rs.next()) {
                        lines.add(rs.getString(1));
                    }
                }
                s.execute("RESET enable_seqscan");
            }
            return lines;
        });
        assertThat(String.join("\n", plan)).contains("ix_item_patient_name_pattern").contains("Index Cond")
                .doesNotContain("Seq Scan");
    }
}
