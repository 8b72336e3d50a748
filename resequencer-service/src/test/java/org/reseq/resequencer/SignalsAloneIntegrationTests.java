package org.reseq.resequencer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.infra.TestInfrastructure;
import org.reseq.model.failure.OperatorCommand;
import org.reseq.model.failure.OperatorCommand.Action;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.WorkItem;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With polls all but switched off (one an hour, after the leader's first), the resequencer does
 * its job on signals alone: it releases in order, stops at a failed head, and carries out an
 * operator's command as soon as the admin API announces it on the destinations channel. So an
 * idle destination whose polls have backed off still answers its operators at once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class SignalsAloneIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("resequencer_signals");
    private static final RedisKeys KEYS = new RedisKeys(INFRA.redisPrefix());
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FakePipeline.register(registry, INFRA);
        registry.add("reseq.resequencer.poll-interval", () -> "1h");
        registry.add("reseq.resequencer.idle-poll-interval", () -> "1h");
    }

    @Autowired
    private DataSource dataSource;
    @Autowired
    private StringRedisTemplate strings;
    @Autowired
    private RedisTemplate<String, byte[]> redis;

    private FakePipeline pipeline;

    @BeforeEach
    void playTheOtherServices() {
        pipeline = new FakePipeline(dataSource, redis, strings, KEYS);
    }

    @Test
    void anAnnouncedOperatorRetryIsCarriedOutWithoutWaitingForAPoll() {
        String destination = "announced-retry";
        pipeline.createDestination(destination, 100, 4);
        List<WorkItem> items = awaitWork(destination, 4);
        for (WorkItem item : items) {
            if (item.sequence() == 2) {
                pipeline.fail(item, "flaky", 3);
            } else {
                pipeline.finish(item, true);
            }
        }
        await().atMost(DEADLINE).until(() -> pipeline.outSequences(destination).equals(List.of(1L)));

        pipeline.command(destination, new OperatorCommand(Action.RETRY, 2));

        List<WorkItem> again = awaitWork(destination, 1);
        assertThat(again).extracting(WorkItem::sequence).containsExactly(2L);
        pipeline.finish(again.getFirst(), true);
        await().atMost(DEADLINE).until(() -> pipeline.outSequences(destination).size() == 4);
        assertThat(pipeline.outSequences(destination)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(pipeline.pendingCommands(destination)).isZero();
    }

    private List<WorkItem> awaitWork(String destination, int count) {
        return pipeline.awaitWork(destination, count, DEADLINE);
    }
}
