package io.digitstream.classifier.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Grafana files are what provisioning loads as they are: raw dashboard JSON that names the provisioned
 * datasource by its fixed uid (no {@code ${DS_...}} import placeholders), every panel titled, described and with a
 * unit, on a 24-column grid.
 */
class DashboardFilesTest {

    private static final Set<String> PANEL_TYPES = Set.of("row", "stat", "timeseries", "table", "bargauge", "gauge",
            "heatmap", "text");

    @Test
    void theProvisionedDatasourceHasTheUidTheDashboardsName() throws IOException {
        List<Path> datasources = MonitoringFiles.files(MonitoringFiles.DATASOURCES, ".yml");
        assertThat(datasources).hasSize(1);
        String datasource = Files.readString(datasources.get(0));
        assertThat(datasource).containsPattern("(?m)^\\s*uid:\\s*" + MonitoringFiles.DATASOURCE_UID + "\\s*$")
                .containsPattern("(?m)^\\s*type:\\s*prometheus\\s*$");
        String provider = Files.readString(MonitoringFiles.GRAFANA.resolve("provisioning").resolve("dashboards")
                .resolve("digit-stream.yml"));
        assertThat(provider).contains("type: file").containsPattern("path:\\s*/\\S+");
    }

    @Test
    void dashboardsAreRawJsonForTheProvisionedDatasource() throws IOException {
        List<Path> dashboards = MonitoringFiles.dashboards();
        assertThat(dashboards).extracting(p -> p.getFileName().toString())
                .contains("digits-overview.json", "digits-operations.json");
        Set<String> uids = new HashSet<>();
        for (Path file : dashboards) {
            String text = Files.readString(file);
            assertThat(text).as(file.toString()).doesNotContain("${DS_").doesNotContain("__inputs");
            JsonNode dashboard = MonitoringFiles.json(file);
            assertThat(uids.add(dashboard.path("uid").asText())).as("unique uid of %s", file).isTrue();
            assertThat(dashboard.path("uid").asText()).matches("[a-z0-9-]{1,40}");
            assertThat(dashboard.path("title").asText()).as("title of %s", file).isNotBlank();
            assertThat(dashboard.path("schemaVersion").asInt()).as("schemaVersion of %s", file).isBetween(36, 41);
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                assertThat(variable.path("datasource").path("uid").asText()).as("datasource of $%s",
                        variable.path("name").asText()).isEqualTo(MonitoringFiles.DATASOURCE_UID);
            }
            checkPanels(file, dashboard);
        }
    }

    @Test
    void theOverviewShowsWhatTheIssueAsksFor() throws IOException {
        List<String> titles = MonitoringFiles.panels(MonitoringFiles.json(MonitoringFiles.DASHBOARDS
                .resolve("digits-overview.json"))).stream().map(p -> p.path("title").asText()).toList();
        assertThat(titles).contains("Throughput", "End-to-end latency", "Running accuracy per model version",
                "Confusion matrix ($model_version)", "Predictions per digit", "Review and dead-letter share",
                "Model served", "Not-a-digit share");
        List<String> operations = MonitoringFiles.panels(MonitoringFiles.json(MonitoringFiles.DASHBOARDS
                .resolve("digits-operations.json"))).stream().map(p -> p.path("title").asText()).toList();
        assertThat(operations).contains("Process rate", "Commit latency", "Consumer lag", "Heap memory",
                "GC pause time");
    }

    @Test
    void everyDashboardQuerySelectsTheJobAndInstancesChosenInItsVariables() throws IOException {
        List<String> unscoped = new ArrayList<>();
        for (Path file : MonitoringFiles.dashboards()) {
            JsonNode dashboard = MonitoringFiles.json(file);
            List<String> variables = new ArrayList<>();
            dashboard.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
            assertThat(variables).as("variables of %s", file).startsWith("job", "instance");
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                if ("instance".equals(variable.path("name").asText())) {
                    // All must be a regex over every instance, not Grafana's list of the values it happened to load
                    assertThat(variable.path("includeAll").asBoolean()).isTrue();
                    assertThat(variable.path("allValue").asText()).isEqualTo(".*");
                }
            }
            for (MonitoringFiles.Query query : MonitoringFiles.allQueries()) {
                boolean chooser = query.source().endsWith("/ $job") || query.source().endsWith("/ $instance");
                if (query.source().startsWith(file.getFileName().toString()) && !chooser
                        && !query.expr().contains("job=\"$job\",instance=~\"$instance\"")) {
                    unscoped.add(query.source() + ": " + query.expr());
                }
            }
            assertThat(Files.readString(file)).as(file.toString()).doesNotContain("job=\\\"digits-classifier\\\"");
        }
        assertThat(unscoped).as("queries that ignore the $job and $instance variables").isEmpty();
    }

    private static void checkPanels(Path file, JsonNode dashboard) {
        Set<Integer> ids = new HashSet<>();
        List<JsonNode> panels = MonitoringFiles.panels(dashboard);
        assertThat(panels).as("panels of %s", file).hasSizeGreaterThan(5);
        List<String> problems = new ArrayList<>();
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            String where = file.getFileName() + " / " + title;
            if (!ids.add(panel.path("id").asInt())) {
                problems.add(where + ": duplicate id " + panel.path("id"));
            }
            if (!PANEL_TYPES.contains(panel.path("type").asText())) {
                problems.add(where + ": unknown type " + panel.path("type"));
            }
            JsonNode grid = panel.path("gridPos");
            if (grid.path("x").asInt() + grid.path("w").asInt() > 24 || grid.path("h").asInt() < 1) {
                problems.add(where + ": off the grid " + grid);
            }
            if (title.isBlank()) {
                problems.add(where + ": no title");
            }
            if ("row".equals(panel.path("type").asText())) {
                continue;
            }
            if (panel.path("description").asText().isBlank()) {
                problems.add(where + ": no description");
            }
            if (!panel.path("datasource").path("uid").asText().equals(MonitoringFiles.DATASOURCE_UID)) {
                problems.add(where + ": datasource " + panel.path("datasource"));
            }
            if (!"table".equals(panel.path("type").asText())
                    && panel.path("fieldConfig").path("defaults").path("unit").asText().isBlank()) {
                problems.add(where + ": no unit");
            }
            if (panel.path("targets").isEmpty()) {
                problems.add(where + ": no query");
            }
            for (JsonNode target : panel.path("targets")) {
                if (target.path("expr").asText().isBlank()) {
                    problems.add(where + ": a target without expr");
                }
                if (target.has("datasource")
                        && !target.path("datasource").path("uid").asText().equals(MonitoringFiles.DATASOURCE_UID)) {
                    problems.add(where + ": target datasource " + target.path("datasource"));
                }
            }
        }
        assertThat(problems).as("problems in %s", file).isEmpty();
    }
}
