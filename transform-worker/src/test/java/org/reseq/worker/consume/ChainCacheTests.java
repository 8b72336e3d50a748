package org.reseq.worker.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reseq.model.destination.DestinationConfigJson.InvalidConfigException;
import org.reseq.worker.transform.TestGuards;
import org.reseq.worker.transform.TransformChain;
import org.reseq.worker.transform.Transforms;

class ChainCacheTests {

    private static final String CONFIG = """
            { "type": "HTTP", "url": "http://127.0.0.1:9/out",
              "transforms": [ { "type": "delay", "minMs": 5, "maxMs": 10 } ],
              "transformTimeoutMs": 2000, "transformAttempts": 2 }""";

    private final Transforms transforms = Transforms.withDefaults(TestGuards.open(), 1024 * 1024);
    private final ChainCache cache = new ChainCache(transforms);

    @AfterEach
    void close() {
        transforms.close();
    }

    @Test
    void parsesAConfigurationOnceAndReusesTheChain() {
        TransformChain chain = cache.chainFor(CONFIG);

        assertThat(cache.chainFor(CONFIG)).isSameAs(chain);
        assertThat(chain.steps()).hasSize(1);
        assertThat(chain.attemptTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(chain.maxAttempts()).isEqualTo(2);
    }

    @Test
    void aConfigurationThatIsNotJsonOfTheSchemaIsRejected() {
        assertThatThrownBy(() -> cache.chainFor("{ \"type\": \"HTTP\", \"colour\": \"red\" }"))
                .isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void aChainWithInvalidValuesIsRejectedNamingTheField() {
        String backwards = CONFIG.replace("\"minMs\": 5, \"maxMs\": 10", "\"minMs\": 10, \"maxMs\": 5");

        assertThatThrownBy(() -> cache.chainFor(backwards))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("transforms[0].maxMs must be between minMs");
    }
}
