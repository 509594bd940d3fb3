package io.digitstream.classifier.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromqlNamesTest {

    @Test
    void findsTheMetricsBehindFunctionsAndAggregations() {
        assertThat(PromqlNames.of("histogram_quantile(0.99, sum by (le) "
                + "(rate(digits_end_to_end_latency_seconds_bucket{job=\"digits-classifier\"}[$__rate_interval])))"))
                .containsExactly("digits_end_to_end_latency_seconds_bucket");
        assertThat(PromqlNames.of("sum(rate(digits_predictions_total[5m])) by (digit, model_version)"))
                .containsExactly("digits_predictions_total");
    }

    @Test
    void ignoresLabelsStringsKeywordsAndDurations() {
        assertThat(PromqlNames.of("max by (model_version) (digits_accuracy_ratio{scope=\"last_window\"}) < 0.97 "
                + "and on (model_version) (time() - digits_accuracy_window_start_seconds offset 5m) < 1e3"))
                .containsExactly("digits_accuracy_ratio", "digits_accuracy_window_start_seconds");
        assertThat(PromqlNames.of("label_replace(up{job=~\"digits.*\"}, \"host\", \"$1\", \"instance\", \"(.*):.*\")"))
                .containsExactly("up");
        assertThat(PromqlNames.of("absent(up{job=\"digits-classifier\"}) or vector(0)")).containsExactly("up");
    }

    @Test
    void readsBothSidesOfABinaryOperation() {
        assertThat(PromqlNames.of("sum(rate(digits_low_confidence_total[10m])) / sum(rate(digits_predictions_total"
                + "[10m] offset 1h)) > 3 * sum(jvm_memory_used_bytes{area=\"heap\"}) / jvm_memory_max_bytes"))
                .containsExactly("digits_low_confidence_total", "digits_predictions_total", "jvm_memory_used_bytes",
                        "jvm_memory_max_bytes");
    }
}
