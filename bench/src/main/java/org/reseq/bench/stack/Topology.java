package org.reseq.bench.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The channels and destinations of one run, all named under the run's unique prefix. Message
 * {@code i} goes to channel {@code routes[i % routes.size()]} and from there to each of its
 * destinations.
 *
 * @param prefix the run's name, the start of every name
 * @param routes each channel with the destinations it fans out to
 */
public record Topology(String prefix, List<Route> routes) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,64}");

    /** A channel and its destinations. */
    public record Route(String channel, List<String> destinations) {

        public Route {
            destinations = List.copyOf(destinations);
            requireName(channel);
            destinations.forEach(Topology::requireName);
        }
    }

    public Topology {
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("a topology needs a channel");
        }
        routes = List.copyOf(routes);
    }

    /** {@code n} channels, each to its own destination: {@code <prefix>-c<k>} to {@code <prefix>-d<k>}. */
    public static Topology channelPerDestination(String prefix, int n) {
        List<Route> routes = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            routes.add(new Route(prefix + "-c" + k, List.of(prefix + "-d" + k)));
        }
        return new Topology(prefix, routes);
    }

    /** One channel {@code <prefix>-c0} to {@code n} destinations {@code <prefix>-d<k>}. */
    public static Topology fanOut(String prefix, int n) {
        List<String> destinations = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            destinations.add(prefix + "-d" + k);
        }
        return new Topology(prefix, List.of(new Route(prefix + "-c0", destinations)));
    }

    public List<String> channels() {
        return routes.stream().map(Route::channel).toList();
    }

    /** @return every destination once, in route order */
    public List<String> destinations() {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        routes.forEach(route -> names.addAll(route.destinations()));
        return List.copyOf(names);
    }

    /** @return how many of {@code messages} each destination receives */
    public Map<String, Integer> expected(int messages) {
        Map<String, Integer> expected = new LinkedHashMap<>();
        destinations().forEach(destination -> expected.put(destination, 0));
        int full = messages / routes.size();
        int rest = messages % routes.size();
        for (int k = 0; k < routes.size(); k++) {
            int count = full + (k < rest ? 1 : 0);
            routes.get(k).destinations().forEach(destination -> expected.merge(destination, count, Integer::sum));
        }
        return expected;
    }

    static void requireName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a valid name (a-z, 0-9, - and _, at most 64): " + name);
        }
    }
}
