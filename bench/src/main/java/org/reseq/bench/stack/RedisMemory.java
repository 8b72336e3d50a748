package org.reseq.bench.stack;

import java.net.URI;
import java.util.OptionalLong;
import redis.clients.jedis.Jedis;

/** Reads Redis's {@code used_memory} from {@code INFO memory}. One thread at a time. */
final class RedisMemory implements AutoCloseable {

    private final Jedis jedis;

    RedisMemory(String url) {
        this.jedis = new Jedis(URI.create(url), 2_000);
    }

    /** @return the bytes Redis's allocator holds now */
    long usedBytes() {
        return parseUsedMemory(jedis.info("memory"))
                .orElseThrow(() -> new IllegalStateException("INFO memory without used_memory"));
    }

    static OptionalLong parseUsedMemory(String info) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                return OptionalLong.of(Long.parseLong(line.substring("used_memory:".length()).strip()));
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public void close() {
        jedis.close();
    }
}
