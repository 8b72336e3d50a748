package org.reseq.model.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.script.DigestUtils;
import org.springframework.data.redis.core.script.RedisScript;

class LuaScriptsTests {

    @Test
    void aScriptIsReadOnceWithItsResultType() {
        RedisScript<String> script = LuaScripts.load("scripts/echo.lua", String.class);

        assertThat(script.getScriptAsString()).isEqualTo("-- answers its one argument\nreturn ARGV[1]\n");
        assertThat(script.getResultType()).isEqualTo(String.class);
        assertThat(script.getSha1()).isEqualTo(DigestUtils.sha1DigestAsHex(script.getScriptAsString()));
    }

    @Test
    void aMissingScriptFailsAtOnceNamingIt() {
        assertThatThrownBy(() -> LuaScripts.load("scripts/missing.lua", Long.class))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("scripts/missing.lua");
    }
}
