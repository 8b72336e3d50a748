package org.reseq.worker.transform;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;
import org.reseq.transform.PermanentTransformException;

/**
 * How an {@code http} transform carries the message's travelling headers: the request sends each
 * as itself and names them all in {@code Reseq-Headers}, so that a service can tell them from
 * the HTTP machinery's own headers. An answer that has {@code Reseq-Headers} replaces them with
 * the headers it names there; one without it leaves them as they were.
 */
final class HeaderWire {

    static final String NAMES = "Reseq-Headers";

    private HeaderWire() {
    }

    /** Adds the travelling headers and their names to a request. */
    static void write(Map<String, String> headers, HttpRequest request) {
        headers.forEach(request::setHeader);
        if (!headers.isEmpty()) {
            request.setHeader(NAMES, String.join(", ", headers.keySet()));
        }
    }

    /**
     * The travelling headers a successful answer sets, or {@code null} when it leaves them as they were.
     *
     * @throws PermanentTransformException when the answer names a header it does not carry, or
     *     one that cannot travel: the service would answer alike next time
     */
    static Map<String, String> read(ClassicHttpResponse response, String shown) {
        Header names = response.getFirstHeader(NAMES);
        if (names == null) {
            return null;
        }
        Map<String, String> after = new LinkedHashMap<>();
        for (String name : names.getValue().split(",")) {
            String trimmed = name.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            Header value = response.getFirstHeader(trimmed);
            if (value == null) {
                throw new PermanentTransformException("http transform " + shown + " answered " + NAMES
                        + " naming '" + trimmed + "' without such a header");
            }
            after.put(trimmed, value.getValue());
        }
        return after;
    }
}
