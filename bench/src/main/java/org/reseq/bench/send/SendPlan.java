package org.reseq.bench.send;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.reseq.bench.workload.Workload;

/**
 * What to send: message {@code i} (from 0) goes to channel {@code channels[i % channels.size()]}
 * with the payload {@code i=<i> t=<its transform millis>} and the {@code Idempotency-Key}
 * {@code <keyPrefix>-<i>}. With {@code batch} above 1, requests go to the batch endpoint, each
 * with up to {@code batch} messages of one channel ({@link #requests()}).
 *
 * @param channels the run's channels, messages round-robin over them
 * @param workload how many messages, how fast, and their transform times
 * @param keyPrefix unique per run, so that keys never repeat an earlier run's
 * @param batch messages per request; 1 posts each message on its own
 */
public record SendPlan(List<String> channels, Workload workload, String keyPrefix, int batch) {

    public SendPlan {
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("no channel to send to");
        }
        if (batch < 1 || (batch > 1 && workload.paced())) {
            throw new IllegalArgumentException("batch must be positive, and 1 for a paced workload: " + batch);
        }
        channels = List.copyOf(channels);
    }

    /** One message per request. */
    public SendPlan(List<String> channels, Workload workload, String keyPrefix) {
        this(channels, workload, keyPrefix, 1);
    }

    /**
     * The requests, each the indexes of its messages: one each when {@code batch} is 1, else up
     * to {@code batch} consecutive messages of one channel (indexes {@code c, c + n, c + 2n, ...}
     * for channel {@code c} of {@code n}), the channels taking turns.
     */
    public List<int[]> requests() {
        int messages = workload.messages();
        int count = channels.size();
        List<int[]> requests = new ArrayList<>();
        int[] next = new int[count];
        for (int c = 0; c < count; c++) {
            next[c] = c;
        }
        boolean more = true;
        while (more) {
            more = false;
            for (int c = 0; c < count; c++) {
                int size = 0;
                int[] request = new int[batch];
                while (size < batch && next[c] < messages) {
                    request[size++] = next[c];
                    next[c] += count;
                }
                if (size > 0) {
                    requests.add(Arrays.copyOf(request, size));
                    more = true;
                }
            }
        }
        return requests;
    }

    public String channel(int index) {
        return channels.get(index % channels.size());
    }

    public String idempotencyKey(int index) {
        return keyPrefix + "-" + index;
    }
}
