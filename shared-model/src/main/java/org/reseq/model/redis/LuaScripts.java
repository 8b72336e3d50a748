package org.reseq.model.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Loads the services' Lua scripts from the classpath, once.
 *
 * <p>Why not {@code DefaultRedisScript.setLocation}: a script built on a resource asks that
 * resource whether it changed on every call, under a lock; inside a Boot jar that opens the nested
 * jar each time. At 1,000 calls a second it was a sixth of the transform-worker's CPU.
 */
public final class LuaScripts {

    private LuaScripts() {
    }

    /** The script at {@code location} (e.g. {@code scripts/release.lua}), read now, with its result type. */
    public static <T> RedisScript<T> load(String location, Class<T> resultType) {
        try {
            String text = new ClassPathResource(location).getContentAsString(StandardCharsets.UTF_8);
            return RedisScript.of(text, resultType);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the Lua script " + location, e);
        }
    }
}
