package io.digitstream.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void aScrapeIsSummedOverTheSamplesThatCarryTheLabel() {
        String scrape = """
                # HELP jvm_memory_used_bytes The amount of used memory
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space",} 1.0E7
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen",} 3.0E7
                jvm_memory_used_bytes{area="nonheap",id="Metaspace",} 5.0E7
                jvm_threads_live_threads 42.0
                jvm_threads_live_threads_total 1.0
                """;

        assertThat(PrometheusText.sum(scrape, "jvm_memory_used_bytes", "area=\"heap\"")).isEqualTo(4.0e7);
        assertThat(PrometheusText.sum(scrape, "jvm_threads_live_threads", "")).isEqualTo(42.0);
        assertThat(PrometheusText.sum(scrape, "jvm_gc_live_data_size_bytes", "")).isNaN();
    }
}
