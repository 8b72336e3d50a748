package org.reseq.bench.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.reseq.bench.stack.ApiKey;
import org.reseq.bench.stack.PrometheusText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, every {@code interval}, what retention reports on ingress's {@code /actuator/prometheus}
 * (table sizes, rows removed, the oldest message's age), so that a soak shows whether storage
 * stays flat. Readings that fail are logged and skipped.
 *
 * <p>Threads: one daemon thread of its own takes the readings; {@link #stop()} joins it, after
 * which the caller owns the readings.
 */
final class StoreWatch {

    private static final Logger log = LoggerFactory.getLogger(StoreWatch.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI metrics;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final List<StoreReading> readings = new ArrayList<>();
    private final ScheduledExecutorService reader = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "bench-store-watch");
        thread.setDaemon(true);
        return thread;
    });

    private StoreWatch(URI ingress) {
        this.metrics = ingress.resolve("/actuator/prometheus");
    }

    /** Takes a reading now and then every {@code interval}. */
    static StoreWatch start(URI ingress, Duration interval) {
        StoreWatch watch = new StoreWatch(ingress);
        watch.reader.scheduleAtFixedRate(watch::read, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return watch;
    }

    /** Takes a last reading, stops, and returns every reading, oldest first. */
    List<StoreReading> stop() {
        reader.shutdown();
        try {
            reader.awaitTermination(TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        read();
        return List.copyOf(readings);
    }

    private void read() {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(metrics).timeout(TIMEOUT).GET();
            String authorization = ApiKey.authorization();
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                log.warn("{} answered {}: no reading", metrics, response.statusCode());
                return;
            }
            StoreReading reading = reading(System.nanoTime(), PrometheusText.parse(response.body()));
            readings.add(reading);
            log.info("store: {} MiB in message, {} MiB in delivery, oldest message {} s, {} rows of message removed",
                    Math.round(reading.tableMib("message")), Math.round(reading.tableMib("delivery")),
                    Math.round(reading.oldestMessageSeconds()),
                    Math.round(reading.removedRows().getOrDefault("message", 0.0)));
        } catch (IOException | RuntimeException e) {
            log.warn("Cannot read {} ({}): no reading", metrics, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static StoreReading reading(long nanos, List<PrometheusText.Sample> samples) {
        Map<String, Double> sizes = new HashMap<>();
        Map<String, Double> removed = new HashMap<>();
        double oldest = 0;
        for (PrometheusText.Sample sample : samples) {
            String table = sample.labels().get("table");
            switch (sample.name()) {
                case "reseq_retention_table_size_bytes" -> sizes.merge(table, sample.value(), Double::sum);
                case "reseq_retention_removed_total" -> removed.merge(table, sample.value(), Double::sum);
                case "reseq_retention_oldest_message_age_seconds" -> oldest = Math.max(oldest, sample.value());
                default -> { }
            }
        }
        return new StoreReading(nanos, sizes, removed, oldest);
    }
}
