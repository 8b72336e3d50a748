package org.reseq.ingress.backpressure;

import java.util.List;

/** Reads the backlogs that can hold a channel back: of its destinations that set a {@code maxBacklog}. */
@FunctionalInterface
public interface BacklogSource {

    /**
     * @return the limited destinations the channel routes to (empty for an unknown channel or one
     *         without limits)
     * @throws Exception when the store cannot be read
     */
    List<DestinationBacklog> limitedDestinations(String channel) throws Exception;
}
