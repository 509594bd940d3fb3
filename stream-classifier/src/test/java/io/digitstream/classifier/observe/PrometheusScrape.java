package io.digitstream.classifier.observe;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading numbers out of a Prometheus text scrape, as tests do. */
public final class PrometheusScrape {

    private PrometheusScrape() {
    }

    /** Sum of every sample of {@code metric} (all label sets) in {@code scrape}. */
    public static double sum(String scrape, String metric) {
        Matcher m = Pattern.compile("(?m)^" + metric + "(?:\\{[^}]*})? (\\S+)$").matcher(scrape);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }
}
