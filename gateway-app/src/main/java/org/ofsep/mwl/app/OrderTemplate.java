package org.ofsep.mwl.app;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The placeholders of the demo orders (scripts/demo/*.hl7), filled by {@code gateway send --today}: dates relative
 * to today, so that a demo order is scheduled today and its clinical history (prior MRI, treatment start) stays as
 * old as the situation needs, and a number unique to the run, so that a second run does not resend the same
 * message and order numbers.
 */
final class OrderTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Z]+)}}");

    private OrderTemplate() {
    }

    /** The placeholders this class fills, with what they become (for --help and the README). */
    static Map<String, String> values(LocalDate today, long run) {
        DateTimeFormatter da = DateTimeFormatter.BASIC_ISO_DATE;
        Map<String, String> values = new LinkedHashMap<>();
        values.put("DATE", today.format(da));
        values.put("RUN", Long.toString(run));
        values.put("THREEMONTHS", today.minusMonths(3).format(da));
        values.put("SIXMONTHS", today.minusMonths(6).format(da));
        values.put("LASTYEAR", today.minusYears(1).format(da));
        values.put("TWOYEARS", today.minusYears(2).format(da));
        return values;
    }

    /** The placeholders present in {@code text} ({@code {{NAME}}}), known or not. */
    static Set<String> placeholders(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Fills every known placeholder; an unknown one is an error (it would reach the gateway as text). */
    static String fill(String text, LocalDate today, long run) {
        Map<String, String> values = values(today, run);
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("unknown placeholder {{" + m.group(1) + "}} (known: "
                        + String.join(", ", values.keySet()) + ")");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
