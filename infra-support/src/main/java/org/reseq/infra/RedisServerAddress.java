package org.reseq.infra;

/**
 * A Redis server to run against.
 *
 * @param host where it listens
 * @param port its port
 * @param source where the server comes from
 */
public record RedisServerAddress(String host, int port, Source source) {

    /** The {@code redis://} URL Spring's {@code spring.data.redis.url} takes. */
    public String url() {
        return "redis://" + host + ":" + port;
    }

    @Override
    public String toString() {
        return "Redis " + source + " at " + host + ":" + port;
    }
}
