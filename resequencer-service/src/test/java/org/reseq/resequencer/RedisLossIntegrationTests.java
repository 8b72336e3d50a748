package org.reseq.resequencer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.infra.Infrastructure;
import org.reseq.infra.TestInfrastructure;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.WorkItem;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Rewinds against real PostgreSQL and Redis: when Redis loses a destination's data, or egress asks
 * for it, the leader goes back to the delivered cursor and releases everything after it again,
 * in order, from PostgreSQL.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class RedisLossIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("resequencer_loss");
    private static final RedisKeys KEYS = new RedisKeys(INFRA.redisPrefix());
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FakePipeline.register(registry, INFRA);
    }

    @Autowired
    private DataSource dataSource;
    @Autowired
    private StringRedisTemplate strings;
    @Autowired
    private RedisTemplate<String, byte[]> redis;
    @Autowired
    private MeterRegistry meters;

    private final Random random = new Random(7);
    private FakePipeline pipeline;

    @BeforeEach
    void playTheOtherServices() {
        pipeline = new FakePipeline(dataSource, redis, strings, KEYS);
    }

    @Test
    void whenRedisLosesItsDataEverythingAfterTheDeliveredCursorIsReleasedAgainInOrder() {
        String destination = "flushed";
        pipeline.createDestination(destination, 100, 30);
        List<WorkItem> items = take(destination, 30);
        items.stream().filter(item -> item.sequence() <= 20).forEach(item -> pipeline.finish(item, true));
        await().atMost(DEADLINE).until(() -> pipeline.releasedCursor(destination) == 20);
        pipeline.deliver(destination, 12); // egress got as far as #12 when Redis went

        pipeline.loseRedisData();

        List<WorkItem> again = take(destination, 18);
        assertThat(again).extracting(WorkItem::sequence).containsExactlyElementsOf(range(13, 30));
        finishShuffled(again);
        await().atMost(DEADLINE).until(() -> pipeline.outSequences(destination).size() == 18);
        assertThat(pipeline.outSequences(destination)).containsExactlyElementsOf(range(13, 30));
        await().atMost(DEADLINE).until(() -> pipeline.releasedCursor(destination) == 30);
        assertThat(rewinds(destination, "redis-lost")).isEqualTo(1);
    }

    @Test
    void aRewindRequestedByEgressReleasesEverythingAfterTheDeliveredCursorAgain() {
        String destination = "gap";
        pipeline.createDestination(destination, 100, 20);
        List<WorkItem> items = take(destination, 20);
        items.stream().filter(item -> item.sequence() <= 10).forEach(item -> pipeline.finish(item, true));
        await().atMost(DEADLINE).until(() -> pipeline.releasedCursor(destination) == 10);
        pipeline.deliver(destination, 5);

        strings.opsForValue().set(KEYS.rewind(pipeline.incarnation(destination)), "5");

        List<WorkItem> again = take(destination, 15);
        assertThat(again).extracting(WorkItem::sequence).containsExactlyElementsOf(range(6, 20));
        assertThat(strings.hasKey(KEYS.rewind(pipeline.incarnation(destination)))).as("the request was taken").isFalse();
        finishShuffled(again);
        await().atMost(DEADLINE).until(() -> pipeline.releasedCursor(destination) == 20);
        assertThat(pipeline.outSequences(destination)).as("the first release, then everything after delivered again")
                .containsExactlyElementsOf(Stream.concat(range(1, 10).stream(), range(6, 20).stream()).toList());
        assertThat(rewinds(destination, "requested")).isEqualTo(1);
    }

    /** Takes work items of the destination until {@code count} arrived, sorted by sequence. */
    private List<WorkItem> take(String destination, int count) {
        List<WorkItem> items = new ArrayList<>();
        await().atMost(DEADLINE).until(() -> {
            items.addAll(pipeline.takeWork(destination));
            return items.size() >= count;
        });
        items.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
        return items;
    }

    private void finishShuffled(List<WorkItem> items) {
        List<WorkItem> shuffled = new ArrayList<>(items);
        Collections.shuffle(shuffled, random);
        shuffled.forEach(item -> pipeline.finish(item, true));
    }

    private double rewinds(String destination, String reason) {
        return meters.counter("reseq.resequencer.rewinds", "destination", destination, "reason", reason).count();
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }
}
