package org.reseq.model.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.reseq.model.guard.StoreEndpoint;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Where this service's own PostgreSQL and Redis are, read from Spring's standard properties:
 * {@code spring.datasource.url} (the suite's default where a service has no data source, as the
 * worker), and {@code spring.data.redis.url}, or {@code host} and {@code port} without it, plus any
 * sentinel or cluster nodes. Stateless.
 */
final class StoreEndpoints {

    static final String POSTGRESQL = "PostgreSQL";
    static final String REDIS = "Redis";
    static final String DEFAULT_DATASOURCE_URL = "jdbc:postgresql://127.0.0.1:5432/reseq";
    private static final int POSTGRESQL_PORT = 5432;
    private static final int REDIS_PORT = 6379;
    private static final String JDBC_PREFIX = "jdbc:postgresql:";

    private StoreEndpoints() {
    }

    static List<StoreEndpoint> of(Environment environment) {
        Binder binder = Binder.get(environment);
        List<StoreEndpoint> endpoints = new ArrayList<>(
                postgresql(binder.bind("spring.datasource.url", String.class).orElse(DEFAULT_DATASOURCE_URL)));
        String redisUrl = binder.bind("spring.data.redis.url", String.class).orElse("");
        if (redisUrl.isBlank()) {
            endpoints.add(new StoreEndpoint(REDIS,
                    binder.bind("spring.data.redis.host", String.class).orElse("localhost"),
                    binder.bind("spring.data.redis.port", Integer.class).orElse(REDIS_PORT)));
        } else {
            endpoints.addAll(redisUrl(redisUrl));
        }
        for (String nodes : List.of("spring.data.redis.sentinel.nodes", "spring.data.redis.cluster.nodes")) {
            binder.bind(nodes, Bindable.listOf(String.class)).orElse(List.of())
                    .forEach(node -> endpoints.add(hostAndPort(REDIS, node.strip(), REDIS_PORT)));
        }
        return endpoints;
    }

    /**
     * Whether Redis is a cluster: cluster nodes are set, and no sentinel nodes, which Spring Boot
     * would prefer.
     */
    static boolean redisCluster(Environment environment) {
        Binder binder = Binder.get(environment);
        Bindable<List<String>> nodes = Bindable.listOf(String.class);
        return !binder.bind("spring.data.redis.cluster.nodes", nodes).orElse(List.of()).isEmpty()
                && binder.bind("spring.data.redis.sentinel.nodes", nodes).orElse(List.of()).isEmpty();
    }

    /**
     * The hosts of a PostgreSQL JDBC URL: {@code jdbc:postgresql://host[:port][,host[:port]...]/db},
     * or {@code jdbc:postgresql:db} for localhost. Nothing for another kind of URL.
     */
    static List<StoreEndpoint> postgresql(String jdbcUrl) {
        if (!jdbcUrl.regionMatches(true, 0, JDBC_PREFIX, 0, JDBC_PREFIX.length())) {
            return List.of();
        }
        String rest = jdbcUrl.substring(JDBC_PREFIX.length());
        if (!rest.startsWith("//")) {
            return List.of(new StoreEndpoint(POSTGRESQL, "localhost", POSTGRESQL_PORT));
        }
        String hosts = rest.substring(2);
        for (char end : new char[] {'/', '?'}) {
            int at = hosts.indexOf(end);
            hosts = at < 0 ? hosts : hosts.substring(0, at);
        }
        if (hosts.isBlank()) {
            return List.of(new StoreEndpoint(POSTGRESQL, "localhost", POSTGRESQL_PORT));
        }
        List<StoreEndpoint> endpoints = new ArrayList<>();
        for (String host : hosts.split(",")) {
            endpoints.add(hostAndPort(POSTGRESQL, host.strip(), POSTGRESQL_PORT));
        }
        return endpoints;
    }

    /** The host of a {@code redis://} or {@code rediss://} URL; nothing when it has none. */
    static List<StoreEndpoint> redisUrl(String url) {
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.startsWith("redis") || uri.getHost() == null) {
                return List.of();
            }
            return List.of(new StoreEndpoint(REDIS, uri.getHost(), uri.getPort() < 0 ? REDIS_PORT : uri.getPort()));
        } catch (URISyntaxException e) {
            return List.of();
        }
    }

    /** {@code host}, {@code host:port} or {@code [v6]:port}; a bare IPv6 literal has no port. */
    static StoreEndpoint hostAndPort(String store, String text, int defaultPort) {
        int colon = text.lastIndexOf(':');
        boolean bracketed = text.startsWith("[");
        boolean hasPort = colon > 0 && (bracketed ? text.lastIndexOf(']') == colon - 1 : text.indexOf(':') == colon);
        if (!hasPort) {
            return new StoreEndpoint(store, text, defaultPort);
        }
        try {
            return new StoreEndpoint(store, text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            return new StoreEndpoint(store, text.substring(0, colon), defaultPort);
        }
    }
}
