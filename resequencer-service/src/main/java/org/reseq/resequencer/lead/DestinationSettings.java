package org.reseq.resequencer.lead;

import java.time.Duration;
import java.util.Objects;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationConfigJson;
import org.reseq.model.destination.FailurePolicy;
import org.reseq.resequencer.dispatch.Dispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a leader takes from its destination's stored configuration: the configuration itself (every
 * work item carries it), the most results one release may hold and the failure policy.
 *
 * <p>A configuration that cannot be read is still the one the work items carry; the release goes on
 * with the last values that could be read, or the defaults, and the leader reads it again only once
 * it changes, so it warns once per change.
 *
 * <p>Owned by the leader's thread.
 */
final class DestinationSettings {

    static final int DEFAULT_MAX_BATCH = 100;
    /**
     * The longest wait between two attempts of a chain at a worker with its default
     * {@code reseq.worker.retry.max-delay}: part of the transform budget.
     */
    static final Duration WORKER_RETRY_MAX_DELAY = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(DestinationSettings.class);

    private final String destination;
    private String configJson;
    private int maxBatch = DEFAULT_MAX_BATCH;
    private FailurePolicy onFailure = FailurePolicy.BLOCK;
    private Duration transformBudget = Duration.ZERO;
    /** Until the configuration is read, the workers decide: an unreadable one fails there, visibly. */
    private boolean transforms = true;

    DestinationSettings(String destination) {
        this.destination = destination;
    }

    /** Takes the configuration as PostgreSQL has it now; reads it only when it changed. */
    void configure(String json) {
        if (Objects.equals(json, configJson)) {
            return;
        }
        configJson = json;
        try {
            DestinationConfig config = DestinationConfigJson.read(json);
            maxBatch = config.maxBatch();
            transforms = !config.transforms().isEmpty();
            onFailure = config.onFailure();
            transformBudget = Duration.ofMillis(config.transformTimeoutMs()).multipliedBy(config.transformAttempts())
                    .plus(WORKER_RETRY_MAX_DELAY.multipliedBy(config.transformAttempts() - 1L));
        } catch (RuntimeException e) {
            log.warn("The configuration of {} is unreadable ({}); releasing at most {} per batch, {} on failure",
                    destination, e.getMessage(), maxBatch, onFailure);
        }
    }

    /** The stored configuration as last seen, null until the first poll found the destination. */
    String configJson() {
        return configJson;
    }

    /** The configuration as dispatch takes it, null until the first poll found the destination. */
    Dispatcher.Config dispatchConfig() {
        return configJson == null ? null : new Dispatcher.Config(configJson, transforms);
    }

    int maxBatch() {
        return maxBatch;
    }

    FailurePolicy onFailure() {
        return onFailure;
    }

    /**
     * The longest a healthy transform chain of this destination takes: every attempt to its
     * timeout, with the longest wait between attempts; zero until the configuration was read.
     */
    Duration transformBudget() {
        return transformBudget;
    }
}
