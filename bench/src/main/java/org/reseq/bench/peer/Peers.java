package org.reseq.bench.peer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The peers by name, as the command line selects them. */
public final class Peers {

    public static final String CAMEL_STREAM = "camel-stream";
    public static final String SI_SIMPLE = "si-simple";
    public static final String SI_JDBC = "si-jdbc";
    public static final String SEQUENTIAL = "sequential";

    private static final Map<String, Function<PeerSettings, Peer>> ALL = new LinkedHashMap<>();

    static {
        ALL.put(CAMEL_STREAM, settings -> new CamelStreamPeer(settings.maxRunTime()));
        ALL.put(SI_SIMPLE, settings -> SpringIntegrationPeer.inMemory(settings.maxRunTime()));
        ALL.put(SI_JDBC, SpringIntegrationPeer::onPostgres);
        ALL.put(SEQUENTIAL, settings -> new SequentialPeer(settings.maxRunTime()));
    }

    private Peers() {
    }

    /** @return every peer's name, in the order {@code all} runs them */
    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    /**
     * @param spec {@code all}, {@code none} (or blank), or peer names separated by commas
     * @throws IllegalArgumentException for a name that is not a peer's, listing the valid ones
     */
    public static List<Peer> select(String spec, PeerSettings settings) {
        String trimmed = spec == null ? "" : spec.strip();
        if (trimmed.isEmpty() || trimmed.equals("none")) {
            return List.of();
        }
        List<String> names = trimmed.equals("all") ? names()
                : List.of(trimmed.split("\\s*,\\s*")).stream().filter(name -> !name.isEmpty()).distinct().toList();
        List<Peer> peers = new ArrayList<>();
        for (String name : names) {
            Function<PeerSettings, Peer> factory = ALL.get(name);
            if (factory == null) {
                throw new IllegalArgumentException("Unknown peer '" + name + "'; valid: all, none, "
                        + String.join(", ", names()));
            }
            peers.add(factory.apply(settings));
        }
        return List.copyOf(peers);
    }
}
