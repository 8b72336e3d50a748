package org.reseq.bench.scenario;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each destination's per-message timeline of a reseq run as a CSV file, named after the
 * scenario, the variant and the destination, with times counted from the run's first send.
 */
final class TimelineFiles {

    private static final Logger log = LoggerFactory.getLogger(TimelineFiles.class);

    private TimelineFiles() {
    }

    static void write(Path directory, Measurement measurement) throws IOException {
        Files.createDirectories(directory);
        RunPlan plan = measurement.plan();
        for (String destination : measurement.reception().destinations()) {
            Path file = directory.resolve(fileName(plan.scenario() + "-" + plan.variant() + "-" + destination));
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                measurement.reception().timeline(destination)
                        .writeCsv(out, measurement.startNanos(), measurement.reception().expected(destination));
            }
            log.info("Timeline of {}: {}", destination, file);
        }
    }

    /** Letters, digits, dots and dashes only: variants hold spaces and slashes ("1000/s"). */
    static String fileName(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]+", "-") + ".csv";
    }
}
