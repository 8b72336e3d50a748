package org.reseq.bench.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceFiguresTests {

    @Test
    void findsRedisPeakWithinAPeriod() {
        ResourceFigures figures = new ResourceFigures(1.0, Map.of(), 900L, List.of(
                new ResourceFigures.RedisSample(100, 500), new ResourceFigures.RedisSample(200, 900),
                new ResourceFigures.RedisSample(300, 600)));

        assertThat(figures.redisPeakBetween(0, 150)).isEqualTo(500);
        assertThat(figures.redisPeakBetween(150, 400)).isEqualTo(900);
        assertThat(figures.redisPeakBetween(250, 400)).isEqualTo(600);
        assertThat(figures.redisPeakBetween(400, 500)).isNull();
    }

    @Test
    void readsUsedMemoryFromInfo() {
        String info = "# Memory\r\nused_memory:1048576\r\nused_memory_human:1.00M\r\nused_memory_rss:3000000\r\n";

        assertThat(RedisMemory.parseUsedMemory(info)).hasValue(1_048_576);
        assertThat(RedisMemory.parseUsedMemory("# Memory\r\n")).isEmpty();
    }
}
