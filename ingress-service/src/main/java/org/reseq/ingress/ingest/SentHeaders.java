package org.reseq.ingress.ingest;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.reseq.model.headers.TravellingHeaders;

/**
 * The headers of an ingest request that a channel could keep, taken on the request thread: the
 * commit decides which ones the channel keeps, as it is configured in the commit's transaction,
 * possibly on another thread. Names no channel may keep (credentials, framing, {@code Reseq-*})
 * are left behind, so that a sender's credentials go no further than the request.
 */
final class SentHeaders {

    private SentHeaders() {
    }

    /**
     * @return by lower-case name, the header's values in the order sent, joined with
     *         {@link TravellingHeaders#JOIN}
     */
    static Map<String, String> of(HttpServletRequest request) {
        Enumeration<String> names = request.getHeaderNames();
        if (names == null || !names.hasMoreElements()) {
            return Map.of();
        }
        Map<String, String> sent = new HashMap<>();
        for (String name : Collections.list(names)) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (TravellingHeaders.isRefused(lower) || sent.containsKey(lower)) {
                continue;
            }
            sent.put(lower, String.join(TravellingHeaders.JOIN, Collections.list(request.getHeaders(name))));
        }
        return Collections.unmodifiableMap(sent);
    }
}
