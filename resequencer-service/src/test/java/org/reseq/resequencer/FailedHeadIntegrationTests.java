package org.reseq.resequencer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.infra.Infrastructure;
import org.reseq.infra.TestInfrastructure;
import org.reseq.model.destination.FailurePolicy;
import org.reseq.model.failure.DeadLetter;
import org.reseq.model.failure.DeadLetters;
import org.reseq.model.failure.OperatorCommand;
import org.reseq.model.failure.OperatorCommand.Action;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.TransformResult;
import org.reseq.model.redis.WorkItem;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Failed transforms against real PostgreSQL and Redis: the DEAD_LETTER policy records a poison
 * head and lets the rest go on in order; under BLOCK nothing passes it until an operator retries
 * it (transformed again) or skips it (dead-lettered); commands for anything but the blocked head
 * change nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class FailedHeadIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("resequencer_failed");
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
    private DeadLetters deadLetters;
    @Autowired
    private MeterRegistry meters;

    private final Random random = new Random(7);
    /** One for the class: it keeps its read position in the shared work stream across tests. */
    private static FakePipeline pipeline;

    @BeforeEach
    void playTheOtherServices() {
        if (pipeline == null) {
            pipeline = new FakePipeline(dataSource, redis, strings, KEYS);
        }
    }

    @Test
    void poisonHeadsUnderDeadLetterAreRecordedAndGoOutInTheirPlaceInOrder() throws Exception {
        String destination = "poison-dead-letter";
        pipeline.createDestination(destination, 3, 10, FailurePolicy.DEAD_LETTER);
        List<WorkItem> items = awaitWork(destination, 10);

        Collections.shuffle(items, random);
        for (WorkItem item : items) {
            if (item.sequence() == 1 || item.sequence() == 6) {
                pipeline.fail(item, "poison #" + item.sequence(), 3);
            } else {
                pipeline.finish(item, true);
            }
        }

        await().atMost(DEADLINE).until(() -> pipeline.outSequences(destination).size() == 10);
        List<TransformResult> out = pipeline.outResults(destination);
        assertThat(out).extracting(TransformResult::sequence).containsExactlyElementsOf(oneTo(10));
        assertThat(out).filteredOn(result -> !result.ok()).extracting(TransformResult::sequence)
                .containsExactly(1L, 6L);
        assertThat(out.get(5).error()).isEqualTo("poison #6");
        await().atMost(DEADLINE).until(() -> pipeline.releasedCursor(destination) == 10);
        for (long sequence : List.of(1L, 6L)) {
            DeadLetter letter = deadLetters.find(destination, sequence).orElseThrow();
            assertThat(letter.stage()).isEqualTo(DeadLetter.Stage.TRANSFORM);
            assertThat(letter.error()).isEqualTo("poison #" + sequence);
            assertThat(letter.attempts()).isEqualTo(3);
            assertThat(letter.contentType()).isEqualTo("text/plain");
            assertThat(letter.payload()).asString(StandardCharsets.UTF_8).isEqualTo("m-" + sequence);
            assertThat(letter.messageId()).isEqualTo(item(items, sequence).messageId());
            assertThat(letter.deadLetteredAt()).isNotNull();
        }
        assertThat(deadLetters.count(destination)).isEqualTo(2);
        assertThat(meters.counter("reseq.resequencer.dead.lettered", "destination", destination, "stage",
                "TRANSFORM").count()).isEqualTo(2);
        assertThat(redis.opsForHash().size(KEYS.done(pipeline.incarnation(destination)))).isZero();
    }

    @Test
    void underBlockNothingPassesAFailedHeadUntilAnOperatorRetriesItAndItSucceeds() throws Exception {
        String destination = "poison-retried";
        pipeline.createDestination(destination, 100, 5);
        List<WorkItem> items = awaitWork(destination, 5);
        items.forEach(item -> {
            if (item.sequence() == 3) {
                pipeline.fail(item, "flaky", 2);
            } else {
                pipeline.finish(item, true);
            }
        });
        awaitBlockedAfter(destination, List.of(1L, 2L));

        pipeline.command(destination, new OperatorCommand(Action.RETRY, 3));

        List<WorkItem> again = awaitWork(destination, 1);
        assertThat(again).extracting(WorkItem::sequence).containsExactly(3L);
        assertThat(again.getFirst().messageId()).isEqualTo(item(items, 3).messageId());
        assertThat(pipeline.outSequences(destination)).as("still nothing past the head").containsExactly(1L, 2L);
        pipeline.finish(again.getFirst(), true);

        await().atMost(DEADLINE).until(() -> pipeline.outSequences(destination).size() == 5);
        assertThat(pipeline.outResults(destination)).extracting(TransformResult::sequence)
                .containsExactlyElementsOf(oneTo(5));
        assertThat(pipeline.outResults(destination)).allMatch(TransformResult::ok);
        await().atMost(DEADLINE).until(() -> pipeline.releasedCursor(destination) == 5);
        assertThat(deadLetters.count(destination)).isZero();
        assertThat(pipeline.pendingCommands(destination)).isZero();
    }

    @Test
    void anOperatorSkipRecordsASkippedDeadLetterAndUnblocksTheLine() throws Exception {
        String destination = "poison-skipped";
        pipeline.createDestination(destination, 100, 5);
        List<WorkItem> items = awaitWork(destination, 5);
        items.forEach(item -> {
            if (item.sequence() == 2) {
                pipeline.fail(item, "bad input", 4);
            } else {
                pipeline.finish(item, true);
            }
        });
        awaitBlockedAfter(destination, List.of(1L));

        pipeline.command(destination, new OperatorCommand(Action.SKIP, 2));

        await().atMost(DEADLINE).until(() -> pipeline.outSequences(destination).size() == 5);
        List<TransformResult> out = pipeline.outResults(destination);
        assertThat(out).extracting(TransformResult::sequence).containsExactlyElementsOf(oneTo(5));
        assertThat(out).filteredOn(result -> !result.ok()).extracting(TransformResult::sequence).containsExactly(2L);
        DeadLetter letter = deadLetters.find(destination, 2).orElseThrow();
        assertThat(letter.stage()).isEqualTo(DeadLetter.Stage.SKIPPED);
        assertThat(letter.error()).isEqualTo("skipped by an operator");
        assertThat(letter.attempts()).isEqualTo(4);
        assertThat(letter.payload()).asString(StandardCharsets.UTF_8).isEqualTo("m-2");
        await().atMost(DEADLINE).until(() -> pipeline.releasedCursor(destination) == 5);
        assertThat(meters.counter("reseq.resequencer.dead.lettered", "destination", destination, "stage",
                "SKIPPED").count()).isEqualTo(1);
    }

    @Test
    void aSkippedHeadThatFailsAgainAfterARewindPassesUnderBlock() throws Exception {
        String destination = "skipped-rewound";
        pipeline.createDestination(destination, 100, 4);
        List<WorkItem> items = awaitWork(destination, 4);
        items.forEach(item -> {
            if (item.sequence() == 2) {
                pipeline.fail(item, "bad input", 1);
            } else {
                pipeline.finish(item, true);
            }
        });
        awaitBlockedAfter(destination, List.of(1L));
        pipeline.command(destination, new OperatorCommand(Action.SKIP, 2));
        await().atMost(DEADLINE).until(() -> pipeline.outSequences(destination).size() == 4);

        strings.opsForValue().set(KEYS.rewind(pipeline.incarnation(destination)), "0"); // egress asks: nothing was delivered
        List<WorkItem> again = awaitWork(destination, 4);
        again.forEach(item -> {
            if (item.sequence() == 2) {
                pipeline.fail(item, "bad input", 1);
            } else {
                pipeline.finish(item, true);
            }
        });

        await().atMost(DEADLINE).until(() -> pipeline.outSequences(destination).size() == 8);
        List<TransformResult> second = pipeline.outResults(destination).subList(4, 8);
        assertThat(second).extracting(TransformResult::sequence).containsExactlyElementsOf(oneTo(4));
        assertThat(second).filteredOn(result -> !result.ok()).extracting(TransformResult::sequence)
                .containsExactly(2L);
        assertThat(deadLetters.find(destination, 2)).map(DeadLetter::stage).contains(DeadLetter.Stage.SKIPPED);
        assertThat(deadLetters.count(destination)).isEqualTo(1);
    }

    @Test
    void aSkippedHeadWithoutAnyResultGoesOutAsAPlaceholderAndALateResultIsDropped() throws Exception {
        String destination = "stuck-skipped";
        pipeline.createDestination(destination, 100, 3);
        List<WorkItem> items = awaitWork(destination, 3);
        pipeline.finish(item(items, 2), true);
        pipeline.finish(item(items, 3), true);

        pipeline.command(destination, new OperatorCommand(Action.SKIP, 1));

        await().atMost(DEADLINE).until(() -> pipeline.outSequences(destination).size() == 3);
        List<TransformResult> out = pipeline.outResults(destination);
        assertThat(out).extracting(TransformResult::sequence).containsExactly(1L, 2L, 3L);
        assertThat(out.getFirst().ok()).isFalse();
        assertThat(out.getFirst().messageId()).isEqualTo(item(items, 1).messageId());
        assertThat(deadLetters.find(destination, 1)).map(DeadLetter::stage).contains(DeadLetter.Stage.SKIPPED);

        pipeline.finish(item(items, 1), true); // the worker was only slow
        await().atMost(DEADLINE).until(() -> redis.opsForHash().size(KEYS.done(pipeline.incarnation(destination))) == 0);
        assertThat(pipeline.outSequences(destination)).containsExactly(1L, 2L, 3L);
    }

    @Test
    void commandsForAnythingButTheBlockedHeadChangeNothing() throws Exception {
        String destination = "poison-ignored";
        pipeline.createDestination(destination, 100, 5);
        List<WorkItem> items = awaitWork(destination, 5);
        items.forEach(item -> {
            if (item.sequence() == 3) {
                pipeline.fail(item, "broken", 1);
            } else {
                pipeline.finish(item, true);
            }
        });
        awaitBlockedAfter(destination, List.of(1L, 2L));

        for (long sequence : List.of(1L, 2L, 4L, 5L, 99L)) {
            pipeline.command(destination, new OperatorCommand(Action.RETRY, sequence));
            pipeline.command(destination, new OperatorCommand(Action.SKIP, sequence));
        }
        strings.opsForList().rightPush(KEYS.commands(pipeline.incarnation(destination)), "NONSENSE");
        pipeline.command(destination, new OperatorCommand(Action.REDELIVER, 3));

        await().atMost(DEADLINE).until(() -> pipeline.pendingCommands(destination) == 0);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> pipeline.outSequences(destination).equals(List.of(1L, 2L)));
        assertThat(pipeline.takeWork(destination)).as("nothing dispatched again").isEmpty();
        assertThat(deadLetters.count(destination)).isZero();
        assertThat(pipeline.releasedCursor(destination)).isEqualTo(2);
        assertThat(redis.opsForHash().hasKey(KEYS.done(pipeline.incarnation(destination)), "3")).as("the failed result stays").isTrue();
    }

    private static List<WorkItem> awaitWork(String destination, int count) {
        return pipeline.awaitWork(destination, count, DEADLINE);
    }

    private static void awaitBlockedAfter(String destination, List<Long> released) {
        await().atMost(DEADLINE).until(() -> pipeline.outSequences(destination).equals(released));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> pipeline.outSequences(destination).equals(released));
        await().atMost(DEADLINE).until(() -> pipeline.releasedCursor(destination) == released.getLast());
    }

    private static WorkItem item(List<WorkItem> items, long sequence) {
        Optional<WorkItem> found = items.stream().filter(item -> item.sequence() == sequence).findFirst();
        return found.orElseThrow();
    }

    private static List<Long> oneTo(int n) {
        return LongStream.rangeClosed(1, n).boxed().toList();
    }
}
