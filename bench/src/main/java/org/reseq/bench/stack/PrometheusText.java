package org.reseq.bench.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the samples of Prometheus's text format, as the services' {@code /actuator/prometheus}
 * writes it: {@code name{label="value",...} number}. Comments and blank lines are skipped; label
 * values are taken as written, escapes included, which is enough for the tags reseq uses.
 */
public final class PrometheusText {

    /** One sample. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public Sample {
            labels = Map.copyOf(labels);
        }
    }

    private PrometheusText() {
    }

    /** @return every sample of {@code text}, in order */
    public static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            samples.add(sample(trimmed));
        }
        return samples;
    }

    private static Sample sample(String line) {
        int open = line.indexOf('{');
        int close = line.lastIndexOf('}');
        String name;
        Map<String, String> labels = new LinkedHashMap<>();
        String rest;
        if (open >= 0 && close > open) {
            name = line.substring(0, open);
            for (String pair : line.substring(open + 1, close).split(",")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    labels.put(pair.substring(0, equals).strip(), unquote(pair.substring(equals + 1).strip()));
                }
            }
            rest = line.substring(close + 1).strip();
        } else {
            int space = line.indexOf(' ');
            name = line.substring(0, space);
            rest = line.substring(space + 1).strip();
        }
        // A timestamp may follow the value.
        int space = rest.indexOf(' ');
        String value = space < 0 ? rest : rest.substring(0, space);
        return new Sample(name, labels, Double.parseDouble(value));
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }
}
