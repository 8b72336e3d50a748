package org.reseq.resequencer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import javax.sql.DataSource;
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
 * The head-of-line watchdog against real PostgreSQL and Redis: a head whose work item was lost is
 * dispatched again from PostgreSQL every head deadline until its result arrives.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class HeadOfLineIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("resequencer_head");
    private static final Duration HEAD_DEADLINE = Duration.ofMillis(800);
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FakePipeline.register(registry, INFRA);
        registry.add("reseq.resequencer.head-deadline", () -> HEAD_DEADLINE.toMillis() + "ms");
    }

    @Autowired
    private DataSource dataSource;
    @Autowired
    private StringRedisTemplate strings;
    @Autowired
    private RedisTemplate<String, byte[]> redis;
    @Autowired
    private MeterRegistry meters;

    @Test
    void aHeadWhoseWorkWasLostIsDispatchedAgainEveryDeadlineThenEverythingIsReleasedInOrder() {
        FakePipeline pipeline = new FakePipeline(dataSource, redis, strings, new RedisKeys(INFRA.redisPrefix()));
        String destination = "stuck";
        pipeline.createDestination(destination, 100, 10);
        List<WorkItem> first = new ArrayList<>();
        await().atMost(DEADLINE).until(() -> {
            first.addAll(pipeline.takeWork(destination));
            return first.size() == 10;
        });

        // the worker "loses" the head's first copy and finishes everything else
        first.stream().filter(item -> item.sequence() != 1).forEach(item -> pipeline.finish(item, true));
        WorkItem second = awaitCopyOfHead(pipeline, destination);
        assertThat(pipeline.outSequences(destination)).as("nothing passes a head without a result").isEmpty();
        // and loses the second copy as well: the watchdog keeps trying, every deadline
        WorkItem third = awaitCopyOfHead(pipeline, destination);
        pipeline.finish(third, true);

        await().atMost(DEADLINE).until(() -> pipeline.outSequences(destination).size() == 10);
        assertThat(pipeline.outSequences(destination)).containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed()
                .toList());
        await().atMost(DEADLINE).until(() -> pipeline.releasedCursor(destination) == 10);
        WorkItem head = first.stream().filter(item -> item.sequence() == 1).findFirst().orElseThrow();
        assertThat(second.messageId()).isEqualTo(head.messageId()).isEqualTo(third.messageId());
        assertThat(second.payload()).isEqualTo(head.payload());
        assertThat(meters.counter("reseq.resequencer.head.redispatched", "destination", destination).count())
                .isGreaterThanOrEqualTo(2);
    }

    /** Waits for the next work item of the destination, which must be a copy of its head. */
    private static WorkItem awaitCopyOfHead(FakePipeline pipeline, String destination) {
        List<WorkItem> again = new ArrayList<>();
        await().atMost(DEADLINE).until(() -> {
            again.addAll(pipeline.takeWork(destination));
            return !again.isEmpty();
        });
        assertThat(again).extracting(WorkItem::sequence).containsExactly(1L);
        return again.getFirst();
    }
}
