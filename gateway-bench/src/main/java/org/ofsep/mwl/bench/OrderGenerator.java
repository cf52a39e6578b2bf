package org.ofsep.mwl.bench;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates new-order messages (ORM^O01, HL7 2.5, UTF-8) as a RIS would send them for a busy MRI department:
 * scheduled over {@code days} days from {@code firstDay}, between 07:00 and 20:00 in 15-minute slots, spread evenly
 * at random over {@link BenchStations#COUNT} stations (OBR-21 = IRM01..IRM10; another count for the peak scenario). About two orders in three are MS
 * follow-ups with OFSEP observations and clinical free text as RIS send it (OBR-13, an NTE, a LOINC eGFR: so the
 * decision engine and its text reader do real work), the rest plain MR exams. Patients
 * come back (one patient per ~1.5 orders) so the store also sees history. Deterministic for a given seed.
 */
public final class OrderGenerator {
    private static final String[] FAMILY = {"MARTIN", "BERNARD", "DUPRÉ", "THOMAS", "PETIT", "ROBERT", "RICHARD",
        "DURAND", "LEFÈVRE", "MOREAU", "SIMON", "LAURENT", "MICHEL", "GARCIA", "DAVID", "BERTRAND", "ROUX", "VINCENT",
        "FOURNIER", "MOREL", "GIRARD", "ANDRÉ", "MERCIER", "BLANC", "GUÉRIN", "BOYER", "FRANÇOIS", "CHEVALIER"};
    private static final String[] GIVEN = {"HÉLÈNE", "PAUL", "CHLOÉ", "JEAN", "MARIE", "LÉA", "LOUIS", "CAMILLE",
        "NICOLAS", "JULIE", "ÉLODIE", "THÉO", "SOPHIE", "HUGO", "CÉLINE", "ANTOINE", "AGNÈS", "RAPHAËL"};
    private static final String[] CONTEXTS = {"FOLLOW_UP", "FOLLOW_UP", "FOLLOW_UP", "RELAPSE", "NEW_DMT",
        "DIAGNOSIS", "INTERCURRENT", "NATALIZUMAB"};
    /**
     * Clinical information (OBR-13) of MS orders, French and English, as referring physicians write it. The facts
     * the text states ({prior}: the previous brain MRI and whether it had a 3D FLAIR; {egfr}; {dmtStart}) are the
     * ones the order's structured observations carry, when it has them: a RIS does not contradict itself, and an
     * order whose text and observations disagree is held for a radiologist (CONFLICTING_FACTS).
     */
    private static final String[] CLINICAL = {
        "SEP RR sous Ocrevus depuis mars 2022, cliniquement stable. Dernière IRM {prior.fr} ; IRM médullaire 06/2024."
            + " Pas de grossesse.",
        "Suivi annuel SEP-RR, traitée par Kesimpta depuis le 12/09/2023. Pas de nouvelle poussée. DFG {egfr} mL/min.",
        "Patient sous Tecfidera depuis 2019, troubles sensitifs récents. IRM de comparaison : {prior.fr}.",
        "RRMS on ofatumumab since 2021, clinically stable. Last MRI {prior.en}. Not pregnant."};
    private static final String CLINICAL_NATALIZUMAB = "Tysabri depuis {dmtStart}, sérologie JCV positive, index 1,8"
            + " (01/2026). Dernière IRM {prior.fr}.";
    private static final DateTimeFormatter MONTH_FR = DateTimeFormatter.ofPattern("MM/yyyy");
    private static final DateTimeFormatter MONTH_EN = DateTimeFormatter.ofPattern("MMM yyyy", java.util.Locale.ENGLISH);
    private static final String[][] OTHER_EXAMS = {{"24857-5", "MR Knee"}, {"24590-2", "MR Brain"},
        {"30657-1", "MR Brain with contrast"}, {"24980-5", "MR Spine"}};

    private final LocalDate firstDay;
    private final int days;
    private final long seed;
    private final int stations;

    public OrderGenerator(LocalDate firstDay, int days, long seed) {
        this(firstDay, days, seed, BenchStations.COUNT);
    }

    /** Orders spread over {@code stations} stations (OBR-21 = IRM01..IRMnn) instead of the usual ten. */
    public OrderGenerator(LocalDate firstDay, int days, long seed, int stations) {
        this.firstDay = firstDay;
        this.days = days;
        this.seed = seed;
        this.stations = stations;
    }

    /** Messages number {@code from} (inclusive) to {@code to} (exclusive) of the run; identifiers are unique by number. */
    public List<String> orders(int from, int to, int totalOrders) {
        List<String> out = new ArrayList<>(to - from);
        int patients = Math.max(1, (int) (totalOrders / 1.5));
        for (int i = from; i < to; i++) {
            out.add(order(i, patients));
        }
        return out;
    }

    /** Accession number and station AE title of order number {@code n} (as {@link #order} writes them). */
    public String[] accessionAndStation(int n) {
        Random r = new Random(seed * 1_000_003L + n);
        r.nextInt(days);
        r.nextInt(52);
        int station = 1 + r.nextInt(stations);
        return new String[] {"BA" + n, BenchStations.aeTitle(station)};
    }

    /** One order; its randomness depends only on the seed and its number, so any slice gives the same messages. */
    String order(int n, int patients) {
        Random r = new Random(seed * 1_000_003L + n);
        LocalDate day = firstDay.plusDays(r.nextInt(days));
        int slot = r.nextInt(52); // 07:00 .. 19:45
        String time = String.format("%02d%02d", 7 + slot / 4, (slot % 4) * 15);
        String when = day.format(DateTimeFormatter.BASIC_ISO_DATE) + time;
        int station = 1 + r.nextInt(stations);
        int patient = r.nextInt(patients);
        Random pr = new Random(seed * 7919L + patient); // a patient keeps name, birth date and sex
        String family = FAMILY[pr.nextInt(FAMILY.length)];
        String given = GIVEN[pr.nextInt(GIVEN.length)];
        String birth = String.format("%04d%02d%02d", 1950 + pr.nextInt(55), 1 + pr.nextInt(12), 1 + pr.nextInt(28));
        String sex = pr.nextBoolean() ? "F" : "M";
        String pid = "BP" + patient;
        String placer = "BPL" + n;
        String acc = "BA" + n;
        StringBuilder m = new StringBuilder(700);
        m.append("MSH|^~\\&|RIS|CHU|MWLGW|CHU|").append(firstDay.format(DateTimeFormatter.BASIC_ISO_DATE))
                .append("080000||ORM^O01|BENCH-").append(n).append("|P|2.5||||||UNICODE UTF-8\r");
        m.append("PID|1||").append(pid).append("^^^CHU^PI||").append(family).append('^').append(given).append("||")
                .append(birth).append('|').append(sex).append('\r');
        m.append("PV1|1|O|IRM").append(String.format("%02d", station)).append('\r');
        m.append("ORC|NW|").append(placer).append('|').append(placer).append("F||SC||^^^").append(when)
                .append("|||||^REFERRER^JEAN\r");
        boolean ms = r.nextInt(3) < 2;
        String code;
        String text;
        String reason;
        if (ms) {
            code = "IRM-SEP";
            text = "IRM cérébrale SEP";
            reason = "SEP suivi";
        } else {
            String[] exam = OTHER_EXAMS[r.nextInt(OTHER_EXAMS.length)];
            code = exam[0];
            text = exam[1];
            reason = "Bilan";
        }
        String context = ms ? CONTEXTS[r.nextInt(CONTEXTS.length)] : null;
        boolean natalizumab = "NATALIZUMAB".equals(context); // a follow-up under PML screening
        // the MS order's facts, drawn once: the observations and the clinical text state the same ones
        LocalDate prior = day.minusDays(150 + r.nextInt(400));
        boolean flair = r.nextBoolean();
        boolean priorObserved = r.nextInt(4) > 0;
        int egfr = 60 + r.nextInt(40);
        boolean egfrObserved = r.nextInt(3) == 0;
        LocalDate dmtStart = day.minusMonths(24);
        String clinical = !ms ? reason : (natalizumab ? CLINICAL_NATALIZUMAB : CLINICAL[r.nextInt(CLINICAL.length)])
                .replace("{prior.fr}", prior.format(MONTH_FR) + (flair ? " avec 3D FLAIR" : " sans 3D FLAIR"))
                .replace("{prior.en}", prior.format(MONTH_EN) + (flair ? ", standardised protocol with 3D FLAIR"
                        : " without 3D FLAIR"))
                .replace("{egfr}", String.valueOf(egfr))
                .replace("{dmtStart}", dmtStart.format(MONTH_FR));
        m.append("OBR|1|").append(placer).append('|').append(placer).append("F|").append(code).append('^').append(text)
                .append(ms ? "^L" : "^LN").append("|||||||||").append(clinical).append("|||||").append(acc).append("|RP")
                .append(n).append("||IRM").append(String.format("%02d", station)).append("|||MR|||^^^").append(when)
                .append("||||").append(reason).append('\r');
        int obx = 1;
        m.append("OBX|").append(obx++).append("|NM|29463-7^Body weight^LN||").append(50 + r.nextInt(50)).append("|kg\r");
        if (ms) {
            if (r.nextInt(3) == 0) {
                m.append("NTE|1|L|Vu en consultation le 12/02/2026, créatinine 72 µmol/L\r");
            }
            if (egfrObserved) {
                m.append("OBX|").append(obx++).append("|NM|62238-1^eGFR CKD-EPI^LN||").append(egfr)
                        .append("|mL/min/{1.73_m2}\r");
            }
            m.append("OBX|").append(obx++).append("|CE|MS-CONTEXT^MS context^99OFSEP||")
                    .append(natalizumab ? "FOLLOW_UP" : context).append('\r');
            if (priorObserved) {
                m.append("OBX|").append(obx++).append("|DT|PRIOR-MRI^Prior brain MRI^99OFSEP||")
                        .append(prior.format(DateTimeFormatter.BASIC_ISO_DATE)).append('\r');
                m.append("OBX|").append(obx++).append("|ST|PRIOR-MRI-3DFLAIR^Prior MRI with 3D FLAIR^99OFSEP||")
                        .append(flair ? "Y" : "N").append('\r');
            }
            if (natalizumab) {
                m.append("OBX|").append(obx++).append("|ST|DMT^DMT^99OFSEP||natalizumab\r");
                m.append("OBX|").append(obx++).append("|DT|DMT-START^DMT start^99OFSEP||")
                        .append(dmtStart.format(DateTimeFormatter.BASIC_ISO_DATE)).append('\r');
                m.append("OBX|").append(obx++).append("|ST|JCV-STATUS^JCV status^99OFSEP||POSITIVE\r");
                m.append("OBX|").append(obx++).append("|NM|JCV-INDEX^JCV index^99OFSEP||1.8\r");
            }
        }
        return m.toString();
    }
}
