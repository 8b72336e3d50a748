package org.reseq.bench.send;

import java.util.List;
import org.reseq.bench.workload.Workload;

/**
 * What to send: message {@code i} (from 0) goes to channel {@code channels[i % channels.size()]}
 * with the payload {@code i=<i> t=<its transform millis>} and the {@code Idempotency-Key}
 * {@code <keyPrefix>-<i>}.
 *
 * @param channels the run's channels, messages round-robin over them
 * @param workload how many messages, how fast, and their transform times
 * @param keyPrefix unique per run, so that keys never repeat an earlier run's
 */
public record SendPlan(List<String> channels, Workload workload, String keyPrefix) {

    public SendPlan {
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("no channel to send to");
        }
        channels = List.copyOf(channels);
    }

    public String channel(int index) {
        return channels.get(index % channels.size());
    }

    public String idempotencyKey(int index) {
        return keyPrefix + "-" + index;
    }
}
