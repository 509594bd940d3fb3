package io.digitstream.benchmarks;

/** Reads figures out of a Prometheus text-format scrape, as far as the benchmarks need. */
final class PrometheusText {

    private PrometheusText() {
    }

    /**
     * The sum of the samples of {@code metric} whose labels contain {@code labelFilter} (e.g. {@code area="heap"};
     * empty for all), or NaN when there is none.
     */
    static double sum(String scrape, String metric, String labelFilter) {
        double sum = 0;
        boolean found = false;
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(metric)) {
                continue;
            }
            String rest = line.substring(metric.length());
            boolean labelled = rest.startsWith("{");
            if (!labelled && !rest.startsWith(" ")) {
                continue; // another metric whose name starts with this one
            }
            int end = labelled ? rest.indexOf('}') : 0;
            if (end < 0 || (!labelFilter.isEmpty() && !rest.substring(0, end).contains(labelFilter))) {
                continue;
            }
            String[] value = rest.substring(end + 1).trim().split("\\s+");
            try {
                sum += Double.parseDouble(value[0]);
                found = true;
            } catch (NumberFormatException e) {
                // not a sample line
            }
        }
        return found ? sum : Double.NaN;
    }
}
