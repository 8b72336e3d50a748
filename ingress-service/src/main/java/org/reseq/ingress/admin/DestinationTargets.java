package org.reseq.ingress.admin;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationType;
import org.reseq.model.destination.TransformSpec;
import org.reseq.model.destination.Violation;
import org.reseq.model.guard.DestinationGuard;

/**
 * Asks the {@link DestinationGuard} about every place a valid destination configuration sends
 * messages to: an HTTP destination's {@code url}, a TCP destination's {@code host} and
 * {@code port} (named as {@code host}), and each {@code http} transform's {@code url}. A host
 * that does not resolve now passes: egress and the worker judge it again whenever they connect.
 * Stateless; resolves on the calling thread.
 */
final class DestinationTargets {

    private DestinationTargets() {
    }

    /** A violation per refused target, empty when none is. */
    static List<Violation> refused(DestinationConfig config, DestinationGuard guard) {
        List<Violation> violations = new ArrayList<>();
        if (config.type() == DestinationType.HTTP) {
            url("url", config.url(), guard, violations);
        } else if (config.type() == DestinationType.TCP) {
            guard.refusal(config.host(), config.port())
                    .ifPresent(why -> violations.add(new Violation("host", "is " + why)));
        }
        for (int i = 0; i < config.transforms().size(); i++) {
            if (config.transforms().get(i) instanceof TransformSpec.Http http) {
                url("transforms[" + i + "].url", http.url(), guard, violations);
            }
        }
        return violations;
    }

    private static void url(String field, String url, DestinationGuard guard, List<Violation> violations) {
        try {
            guard.refusal(new URI(url)).ifPresent(why -> violations.add(new Violation(field, "is " + why)));
        } catch (URISyntaxException e) {
            // Already a violation of its own: only valid configurations get here.
        }
    }
}
