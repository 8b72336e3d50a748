package org.reseq.worker.transform;

import java.util.Map;
import org.reseq.model.headers.TravellingHeaders;
import org.reseq.transform.PermanentTransformException;
import org.reseq.transform.Transform;

/**
 * Checks the travelling headers a step answers with, by the rules the channel's
 * {@code keepHeaders} follow: a step that sets a header the delivery sets itself (or a
 * credential), a value that is not one line, or more than the bounds allow fails the message
 * for good, naming the step and the header, instead of being dropped somewhere later.
 */
final class OutputHeaders {

    private OutputHeaders() {
    }

    static void check(Transform step, Map<String, String> headers) {
        if (headers.size() > TravellingHeaders.MAX_NAMES) {
            throw refused(step, "sets " + headers.size() + " headers, more than the " + TravellingHeaders.MAX_NAMES
                    + " a message may carry");
        }
        int total = 0;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            if (!TravellingHeaders.isToken(name)) {
                throw refused(step, "sets a header whose name is not an HTTP token: '" + name + "'");
            }
            if (TravellingHeaders.isRefused(name)) {
                throw refused(step, "sets header '" + name + "', which the delivery sets itself or which carries"
                        + " credentials");
            }
            if (!TravellingHeaders.isValidValue(header.getValue())) {
                throw refused(step, "sets header '" + name + "' to a value that is not one line of at most "
                        + TravellingHeaders.MAX_VALUE_LENGTH + " characters");
            }
            total += name.length() + header.getValue().length();
        }
        if (total > TravellingHeaders.MAX_TOTAL_LENGTH) {
            throw refused(step, "sets headers of " + total + " characters in all, more than "
                    + TravellingHeaders.MAX_TOTAL_LENGTH);
        }
    }

    private static PermanentTransformException refused(Transform step, String why) {
        return new PermanentTransformException("transform " + step + " " + why);
    }
}
