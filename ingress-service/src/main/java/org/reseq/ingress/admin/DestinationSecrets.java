package org.reseq.ingress.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.SecretMasking;
import org.reseq.model.destination.TransformSpec;
import org.reseq.model.destination.Violation;

/**
 * The secrets of a destination's configuration as the admin API handles them. Reads show every
 * URL ({@code url}, each {@code transforms[i].url}) {@linkplain SecretMasking#url masked} and
 * every header value as {@link SecretMasking#HEADER_VALUE_MASK}, header names visible.
 *
 * <p>So that an operator can GET a destination, change what they mean to and PUT it back, a PUT
 * may send those masks where it keeps a secret: a header value that is the mask keeps the stored
 * value of that header, and a URL that is the masked form of a stored one keeps the stored one
 * (the one at the same place first, then any stored URL of the destination, so that reordered
 * transforms keep theirs). A mask that stands for nothing stored is a violation, never stored
 * as if it were the secret. Pure; safe on any thread.
 */
final class DestinationSecrets {

    private DestinationSecrets() {
    }

    /** The configuration as reads show it. */
    static DestinationConfig masked(DestinationConfig config) {
        Map<String, String> headers = null;
        if (config.headers() != null) {
            headers = new LinkedHashMap<>();
            for (String name : config.headers().keySet()) {
                headers.put(name, SecretMasking.HEADER_VALUE_MASK);
            }
        }
        List<TransformSpec> transforms = config.transforms().stream()
                .map(spec -> spec instanceof TransformSpec.Http http
                        ? new TransformSpec.Http(SecretMasking.url(http.url()), http.timeoutMs()) : spec)
                .toList();
        return with(config, SecretMasking.url(config.url()), transforms, headers);
    }

    /**
     * The submitted configuration with every mask replaced by the stored secret it stands for.
     *
     * @param stored the destination's stored configuration, null when there is none (or it is unreadable)
     * @param violations receives a violation per mask that stands for nothing stored
     */
    static DestinationConfig restored(DestinationConfig submitted, DestinationConfig stored,
            List<Violation> violations) {
        Set<String> storedUrls = stored == null ? Set.of() : urls(stored);
        String url = restoredUrl("url", submitted.url(), stored == null ? null : stored.url(), storedUrls,
                violations);
        List<TransformSpec> transforms = new ArrayList<>(submitted.transforms().size());
        for (int i = 0; i < submitted.transforms().size(); i++) {
            TransformSpec spec = submitted.transforms().get(i);
            if (spec instanceof TransformSpec.Http http) {
                String counterpart = stored != null && i < stored.transforms().size()
                        && stored.transforms().get(i) instanceof TransformSpec.Http storedHttp ? storedHttp.url() : null;
                spec = new TransformSpec.Http(restoredUrl("transforms[" + i + "].url", http.url(), counterpart,
                        storedUrls, violations), http.timeoutMs());
            }
            transforms.add(spec);
        }
        return with(submitted, url, transforms, restoredHeaders(submitted.headers(),
                stored == null ? null : stored.headers(), violations));
    }

    private static String restoredUrl(String field, String url, String counterpart, Set<String> storedUrls,
            List<Violation> violations) {
        if (url == null) {
            return null;
        }
        if (counterpart != null && url.equals(SecretMasking.url(counterpart))) {
            return counterpart;
        }
        List<String> matching = storedUrls.stream().filter(stored -> url.equals(SecretMasking.url(stored))).toList();
        if (matching.size() == 1) {
            return matching.getFirst();
        }
        if (matching.size() > 1) {
            violations.add(new Violation(field, "is the masked form of more than one stored URL: give it in full"));
        } else if (SecretMasking.holdsMask(url)) {
            violations.add(new Violation(field, "holds a mask (" + SecretMasking.MASK
                    + ") but is not the masked form of a stored URL: give it in full"));
        }
        return url;
    }

    private static Map<String, String> restoredHeaders(Map<String, String> submitted, Map<String, String> stored,
            List<Violation> violations) {
        if (submitted == null) {
            return null;
        }
        Map<String, String> restored = new LinkedHashMap<>();
        submitted.forEach((name, value) -> {
            if (!SecretMasking.HEADER_VALUE_MASK.equals(value)) {
                restored.put(name, value);
                return;
            }
            String kept = stored == null ? null : storedValue(stored, name);
            if (kept == null) {
                violations.add(new Violation("headers." + name, "is the mask of a value, but the destination has"
                        + " no such header stored: give its value"));
            }
            restored.put(name, kept == null ? value : kept);
        });
        return restored;
    }

    /** The stored value of a header, its name matched exactly, else regardless of case as HTTP does. */
    private static String storedValue(Map<String, String> stored, String name) {
        String exact = stored.get(name);
        if (exact != null) {
            return exact;
        }
        List<String> byCase = stored.entrySet().stream().filter(header -> header.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).toList();
        return byCase.size() == 1 ? byCase.getFirst() : null;
    }

    private static Set<String> urls(DestinationConfig config) {
        Set<String> urls = new LinkedHashSet<>();
        if (config.url() != null) {
            urls.add(config.url());
        }
        for (TransformSpec spec : config.transforms()) {
            if (spec instanceof TransformSpec.Http http && http.url() != null) {
                urls.add(http.url());
            }
        }
        return urls;
    }

    private static DestinationConfig with(DestinationConfig config, String url, List<TransformSpec> transforms,
            Map<String, String> headers) {
        return new DestinationConfig(config.type(), url, config.host(), config.port(), config.framing(), config.ack(),
                transforms, config.maxBatch(), config.onFailure(), config.transformTimeoutMs(),
                config.transformAttempts(), config.deliveryTimeoutMs(), config.maxBacklog(), config.tls(), headers,
                config.delivery());
    }
}
