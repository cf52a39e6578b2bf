package org.ofsep.mwl.store;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.EnumSet;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.store.WorklistQuery;

/**
 * {@code gateway export}: the active worklist (SCHEDULED and STARTED steps, with their decisions) and every
 * patient's exam history as one JSON document, streamed row by row. A readable backup of what matters
 * clinically; the database backup remains the full one.
 */
public final class JsonExport {

    /** What was written. */
    public record Counts(int items, int exams) {
    }

    private final Database db;
    private final Clock clock;

    public JsonExport(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Writes the document to {@code out} (UTF-8, pretty printed); does not close it. */
    public Counts write(OutputStream out) {
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("exportedAt", clock.instant().toString());
            g.writeFieldName("worklist");
            g.writeStartArray();
            int[] items = {0};
            WorklistQuery active = new WorklistQuery(null, null, null, null, null, null, null, false, null, null,
                    null, null, EnumSet.of(SpsStatus.SCHEDULED, SpsStatus.STARTED), 0);
            new JdbcWorklistStore(db).query(active, item -> {
                try {
                    Json.MAPPER.writeValue(g, item);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                items[0]++;
                return true;
            });
            g.writeEndArray();
            g.writeFieldName("history");
            g.writeStartArray();
            int exams = db.read(c -> {
                int n = 0;
                try (PreparedStatement ps = c.prepareStatement("SELECT patient_id, exam_date, exam_card, contrast, "
                        + "contrast_mmol, spine, accession_number FROM prior_exam ORDER BY patient_id, exam_date");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String card = rs.getString("exam_card");
                        double mmol = rs.getDouble("contrast_mmol");
                        Double mmolOrNull = rs.wasNull() ? null : mmol;
                        PriorExam e = new PriorExam(rs.getString("patient_id"), SqlTime.getLocalDate(rs, "exam_date"),
                                card == null ? null : ExamCard.valueOf(card), rs.getBoolean("contrast"), mmolOrNull,
                                rs.getBoolean("spine"), rs.getString("accession_number"));
                        try {
                            Json.MAPPER.writeValue(g, e);
                        } catch (IOException ex) {
                            throw new UncheckedIOException(ex);
                        }
                        n++;
                    }
                }
                return n;
            });
            g.writeEndArray();
            g.writeEndObject();
            g.flush();
            return new Counts(items[0], exams);
        } catch (IOException e) {
            throw new UncheckedIOException("export failed", e);
        }
    }
}
