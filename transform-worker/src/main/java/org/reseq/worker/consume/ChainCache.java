package org.reseq.worker.consume;

import java.util.List;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationConfigJson;
import org.reseq.worker.transform.TransformChain;
import org.reseq.worker.transform.Transforms;
import org.springframework.stereotype.Component;
import org.springframework.util.ConcurrentLruCache;

/**
 * Parsed transform chains by configuration JSON. Every work item carries its destination's
 * configuration; most items of a destination carry the same text, so it is parsed once.
 * Thread-safe. A configuration that cannot be parsed is not cached: it fails each time.
 */
@Component
class ChainCache {

    static final int CAPACITY = 1024;

    private final ConcurrentLruCache<String, TransformChain> chains;

    ChainCache(Transforms transforms) {
        this.chains = new ConcurrentLruCache<>(CAPACITY, json -> build(json, transforms));
    }

    /**
     * The chain for a configuration.
     *
     * @throws RuntimeException when the configuration cannot be parsed or does not describe a
     *     runnable chain; the message says why
     */
    TransformChain chainFor(String configJson) {
        return chains.get(configJson);
    }

    private static TransformChain build(String json, Transforms transforms) {
        DestinationConfig config = DestinationConfigJson.read(json);
        // Only the chain's fields matter here; delivery settings are egress's business.
        List<String> violations = config.violations().stream()
                .filter(violation -> violation.field().startsWith("transform"))
                .map(violation -> violation.field() + " " + violation.message())
                .toList();
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", violations));
        }
        return TransformChain.of(config, transforms);
    }
}
