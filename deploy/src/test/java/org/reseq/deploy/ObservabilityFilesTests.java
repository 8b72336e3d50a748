package org.reseq.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard and the alert rules are well formed. That every metric they name is exported
 * is checked against a running suite, in {@link PipelineEndToEndIntegrationTests}.
 */
class ObservabilityFilesTests {

    @Test
    void theDashboardHasItsVariablesAndEveryPanelQueriesPrometheus() throws Exception {
        JsonNode dashboard = ObservabilityFiles.readDashboard();

        assertThat(dashboard.path("title").asString()).isEqualTo("reseq");
        assertThat(dashboard.path("uid").asString()).isNotBlank();
        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        List<String> variables = new ArrayList<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            variables.add(variable.path("name").asString() + ":" + variable.path("type").asString());
        }
        assertThat(variables).contains("datasource:datasource", "destination:query");

        Set<Integer> ids = new HashSet<>();
        int queried = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            String title = panel.path("title").asString();
            assertThat(title).isNotBlank();
            assertThat(ids.add(panel.path("id").asInt())).as("unique id of " + title).isTrue();
            assertThat(panel.path("gridPos").path("w").asInt()).as("width of " + title).isPositive();
            if (panel.path("type").asString().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asString()).as(title).isEqualTo("${datasource}");
            JsonNode targets = panel.path("targets");
            assertThat(targets.isArray() && !targets.isEmpty()).as("targets of " + title).isTrue();
            for (JsonNode target : targets) {
                assertThat(target.path("expr").asString()).as("a query of " + title).isNotBlank();
                assertThat(target.path("refId").asString()).as("a query of " + title).isNotBlank();
            }
            queried++;
        }
        assertThat(queried).isGreaterThanOrEqualTo(12);
    }

    @Test
    void everyRuleAlertsWithASeverityASummaryAndADescription() throws Exception {
        JsonNode groups = ObservabilityFiles.readAlerts().path("groups");
        assertThat(groups.isArray() && !groups.isEmpty()).isTrue();
        Set<String> alerts = new HashSet<>();
        for (JsonNode group : groups) {
            assertThat(group.path("name").asString()).isNotBlank();
            for (JsonNode rule : group.path("rules")) {
                String alert = rule.path("alert").asString();
                assertThat(alert).as("every rule alerts").isNotBlank();
                assertThat(rule.path("expr").asString()).as(alert).isNotBlank();
                assertThat(rule.path("for").asString()).as(alert).matches("\\d+[smh]");
                assertThat(rule.path("labels").path("severity").asString()).as(alert).isIn("warning", "critical");
                assertThat(rule.path("annotations").path("summary").asString()).as(alert).isNotBlank();
                assertThat(rule.path("annotations").path("description").asString()).as(alert).isNotBlank();
                alerts.add(alert);
            }
        }
        assertThat(alerts).contains("ReseqBacklogGrowing", "ReseqHeadOfLineBlocked", "ReseqHeadOfLineOld",
                "ReseqDestinationWithoutLeader", "ReseqRetriesRising", "ReseqReadinessDown");
    }

    @Test
    void bothFilesNameReseqMetrics() throws Exception {
        assertThat(ObservabilityFiles.metricNames()).contains("reseq_destination_backlog", "reseq_leases_led",
                "reseq_egress_delivery_seconds_bucket", "reseq_worker_transform_seconds_bucket",
                "reseq_ingress_commit_duration_seconds_bucket");
    }

    /** Only where Prometheus' promtool is installed; the checks above hold everywhere. */
    @Test
    void promtoolAcceptsTheRules() throws Exception {
        Path promtool = onPath("promtool");
        assumeTrue(promtool != null, "promtool is not installed");
        Process check = new ProcessBuilder(promtool.toString(), "check", "rules",
                ObservabilityFiles.alerts().toString()).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(check.exitValue()).as(output).isZero();
    }

    private static Path onPath(String command) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
