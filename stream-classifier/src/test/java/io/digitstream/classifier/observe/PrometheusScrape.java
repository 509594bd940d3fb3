package io.digitstream.classifier.observe;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading numbers out of a Prometheus text scrape, as tests do. */
public final class PrometheusScrape {

    private PrometheusScrape() {
    }

    /** Sum of every sample of {@code metric} (all label sets) in {@code scrape}. */
    public static double sum(String scrape, String metric) {
        return sum(scrape, metric, labels -> true);
    }

    /** Sum of the samples of {@code metric} whose labels pass {@code labels}. */
    public static double sum(String scrape, String metric, Predicate<Map<String, String>> labels) {
        Matcher m = Pattern.compile("(?m)^" + metric + "(?:\\{([^}]*)})? (\\S+)$").matcher(scrape);
        double total = 0;
        while (m.find()) {
            if (labels.test(labels(m.group(1)))) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    /** {@code a="1",b="x"} as a map; label values here never hold quotes or commas. */
    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new HashMap<>();
        if (text != null) {
            Matcher m = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(text);
            while (m.find()) {
                labels.put(m.group(1), m.group(2));
            }
        }
        return labels;
    }
}
