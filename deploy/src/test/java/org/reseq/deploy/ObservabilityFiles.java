package org.reseq.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The operator files shipped in {@code deploy/}: the Grafana dashboard and the Prometheus alert
 * rules, and the reseq metric names they use.
 */
final class ObservabilityFiles {

    /** A reseq sample name as Prometheus exports it: {@code reseq_egress_delivery_seconds_bucket}. */
    private static final Pattern METRIC = Pattern.compile("\\breseq_[a-z0-9_]*[a-z0-9]\\b");

    private ObservabilityFiles() {
    }

    static Path home() {
        return Path.of(System.getProperty("reseq.home", "..")).toAbsolutePath().normalize();
    }

    static Path dashboard() {
        return home().resolve("deploy/grafana/reseq.json");
    }

    static Path alerts() {
        return home().resolve("deploy/prometheus/alerts.yaml");
    }

    static JsonNode readDashboard() throws IOException {
        return JsonMapper.builder().build().readTree(Files.readString(dashboard()));
    }

    static JsonNode readAlerts() throws IOException {
        return YAMLMapper.builder().build().readTree(Files.readString(alerts()));
    }

    /**
     * Every reseq sample name the dashboard's and the rules' files name, comments and descriptions
     * included: each must be what a running service exports, suffix and all.
     */
    static Set<String> metricNames() throws IOException {
        Set<String> names = new TreeSet<>();
        for (Path file : new Path[] {dashboard(), alerts()}) {
            Matcher matcher = METRIC.matcher(Files.readString(file));
            while (matcher.find()) {
                names.add(matcher.group());
            }
        }
        return names;
    }

    /** The sample names of a Prometheus text exposition. */
    static Set<String> sampleNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }
}
