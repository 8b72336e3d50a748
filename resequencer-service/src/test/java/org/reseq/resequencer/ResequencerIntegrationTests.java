package org.reseq.resequencer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.infra.Infrastructure;
import org.reseq.infra.TestInfrastructure;
import org.reseq.model.destination.FailurePolicy;
import org.reseq.model.lease.FencedCursors;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseLostException;
import org.reseq.model.lease.LeaseRole;
import org.reseq.model.lease.LeaseTerm;
import org.reseq.model.redis.Codec;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.RedisDataLostException;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.WorkItem;
import org.reseq.resequencer.release.RedisResultBuffer;
import org.reseq.resequencer.release.ResultBuffer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The resequencer against real PostgreSQL and Redis. The test plays the other services: it stores
 * deliveries as ingress does, takes work items and writes results as a worker does (in shuffled
 * order), and advances the delivered cursor as egress does.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class ResequencerIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("resequencer");
    private static final RedisKeys KEYS = new RedisKeys(INFRA.redisPrefix());
    private static final int WINDOW = 50;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FakePipeline.register(registry, INFRA);
        registry.add("reseq.resequencer.window", () -> WINDOW);
        registry.add("reseq.resequencer.idle-poll-interval", () -> "500ms"); // the sweep's interval too
    }

    @Autowired
    private DataSource dataSource;
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private StringRedisTemplate strings;
    @Autowired
    private RedisTemplate<String, byte[]> redis;
    @Autowired
    private RedisResultBuffer buffer;
    @Autowired
    private FencedCursors cursors;
    @Autowired
    private MeterRegistry meters;

    private final Random random = new Random(42);
    /** One for the class: it keeps its read position in the shared work stream across tests. */
    private static FakePipeline pipeline;

    @BeforeEach
    void playTheOtherServices() {
        if (pipeline == null) {
            pipeline = new FakePipeline(dataSource, redis, strings, KEYS);
        }
    }

    @Test
    void releasesEveryResultOnceInOrderAndNeverDispatchesPastTheWindow() {
        String destination = "orders";
        pipeline.createDestination(destination, 7, 500);
        String storedConfig = jdbc.queryForObject("select config::text from destination where name = ?",
                String.class, destination);
        Map<Long, WorkItem> pending = new HashMap<>();
        long[] delivered = {0};
        long[] highestDispatched = {0};

        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20)).until(() -> {
            for (WorkItem item : pipeline.takeWork(destination)) {
                assertThat(item.sequence()).as("dispatched at most the window past the delivered cursor")
                        .isLessThanOrEqualTo(delivered[0] + WINDOW);
                assertThat(item.configJson()).isEqualTo(storedConfig);
                assertThat(item.payload()).asString(StandardCharsets.UTF_8).isEqualTo("m-" + item.sequence());
                highestDispatched[0] = Math.max(highestDispatched[0], item.sequence());
                pending.put(item.sequence(), item);
            }
            finishSome(destination, pending);
            long released = pipeline.outSequences(destination).size();
            if (released > delivered[0]) {
                delivered[0] = released; // egress "delivered" everything released so far
                pipeline.deliver(destination, released);
            }
            return released == 500;
        });

        assertThat(pipeline.outSequences(destination)).containsExactlyElementsOf(LongStream.rangeClosed(1, 500).boxed().toList());
        assertThat(pipeline.outResults(destination)).allSatisfy(result -> assertThat(result.payload())
                .asString(StandardCharsets.UTF_8).isEqualTo("t-" + result.sequence()));
        await().atMost(DEADLINE).until(() -> pipeline.releasedCursor(destination) == 500);
        assertThat(redis.opsForHash().size(KEYS.done(pipeline.incarnation(destination)))).isZero();
        assertThat(highestDispatched[0]).isEqualTo(500);
        assertThat(meters.counter("reseq.resequencer.released", "destination", destination).count()).isEqualTo(500);
    }

    @Test
    void aDestinationWithoutTransformsIsReleasedInOrderWithoutAnyWorkItem() {
        String destination = "plain";
        pipeline.createDestination(destination, 7, 50, FailurePolicy.BLOCK, List.of());

        await().atMost(DEADLINE).until(() -> pipeline.releasedCursor(destination) == 50);

        assertThat(pipeline.outSequences(destination)).containsExactlyElementsOf(
                LongStream.rangeClosed(1, 50).boxed().toList());
        assertThat(pipeline.takeWork(destination)).as("nothing went to the workers").isEmpty();
    }

    /**
     * A leader with nothing outstanding polls by itself more and more rarely (up to minutes); the
     * instance's sweep looks at its destination every idle poll interval and wakes it when
     * messages arrived whose signal was lost.
     */
    @Test
    void aQuietLeaderIsWokenByTheSweepForMessagesWhoseSignalWasLost() {
        String destination = "quiet";
        pipeline.createDestination(destination, 7, 3, FailurePolicy.BLOCK, List.of());
        await().atMost(DEADLINE).until(() -> pipeline.releasedCursor(destination) == 3);
        // its own polls back off from 100 ms, doubling up to the idle 500 ms, then to minutes;
        // nothing moves meanwhile
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> pipeline.releasedCursor(destination) == 3);

        pipeline.ingestWithoutSignal(destination, 2);

        await().atMost(Duration.ofMillis(2_500)).until(() -> pipeline.releasedCursor(destination) == 5);
        assertThat(pipeline.outSequences(destination)).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aFailedHeadBlocksRelease() throws Exception {
        String destination = "blocked";
        pipeline.createDestination(destination, 100, 10);
        List<WorkItem> items = new ArrayList<>();
        await().atMost(DEADLINE).until(() -> {
            items.addAll(pipeline.takeWork(destination));
            return items.size() == 10;
        });

        Collections.shuffle(items, random);
        for (WorkItem item : items) {
            pipeline.finish(item, item.sequence() != 3);
        }

        await().atMost(DEADLINE).until(() -> pipeline.outSequences(destination).size() == 2);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> pipeline.outSequences(destination).equals(List.of(1L, 2L)));
        assertThat(pipeline.releasedCursor(destination)).isEqualTo(2);
        assertThat(redis.opsForHash().size(KEYS.done(pipeline.incarnation(destination)))).as("results wait behind the failed head")
                .isEqualTo(8);
    }

    @Test
    void aReleaseTellsEgressHowFarItReleased() throws Exception {
        String destination = "announced"; // not in PostgreSQL: no leader touches its keys
        List<String> signals = Collections.synchronizedList(new ArrayList<>());
        RedisMessageListenerContainer listener = new RedisMessageListenerContainer();
        listener.setConnectionFactory(strings.getRequiredConnectionFactory());
        listener.addMessageListener((message, pattern) -> signals.add(new String(message.getBody(),
                StandardCharsets.UTF_8)), new ChannelTopic(KEYS.releasedChannel()));
        listener.afterPropertiesSet();
        listener.start(); // returns once subscribed
        try {
            for (long sequence : List.of(1L, 2L, 4L)) {
                redis.opsForHash().put(KEYS.done(Incarnation.of(lease(destination, 1))), Long.toString(sequence),
                        Codec.encode(FakePipeline.result(destination, sequence, true)));
            }
            buffer.claim(lease(destination, 1));

            assertThat(buffer.release(lease(destination, 1), 1, 4)).as("stops before the missing 3").isEqualTo(2);
            assertThat(buffer.release(lease(destination, 1), 3, 4)).as("3 is still missing").isZero();

            await().atMost(DEADLINE).until(() -> signals.contains(destination + ":2"));
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                    .until(() -> signals.stream().filter(signal -> signal.startsWith(destination + ":")).toList(),
                            equalTo(List.of(destination + ":2")));
        } finally {
            listener.stop();
            listener.destroy();
        }
    }

    @Test
    void aStaleLeaderCannotMoveTheReleasedCursor() throws Exception {
        String destination = "stale";
        pipeline.createDestination(destination, 100, 0);
        await().atMost(DEADLINE).until(() -> pipeline.epoch(destination) > 0);
        int id = jdbc.queryForObject("select id from destination where name = ?", Integer.class, destination);
        Lease stale = new Lease(destination, id, LeaseRole.RESEQUENCER, pipeline.epoch(destination) - 1, 0,
                LeaseTerm.renewedNow(Duration.ofMinutes(1)));

        assertThatThrownBy(() -> cursors.advance(stale, 5)).isInstanceOf(LeaseLostException.class);
        assertThat(pipeline.releasedCursor(destination)).isZero();
    }

    @Test
    void aNewLeaderResumesAtTheReleasedCursorAndRedispatchesWhatHasNoResult() {
        String destination = "failover";
        pipeline.createDestination(destination, 100, 20);
        List<WorkItem> items = new ArrayList<>();
        await().atMost(DEADLINE).until(() -> {
            items.addAll(pipeline.takeWork(destination));
            return items.size() == 20;
        });
        items.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
        for (int i = 0; i < 5; i++) {
            pipeline.finish(items.get(i), true);
        }
        pipeline.finish(items.get(9), true); // #10 finished but not released: not worked again
        await().atMost(DEADLINE).until(() -> pipeline.releasedCursor(destination) == 5);
        long epochBefore = pipeline.epoch(destination);

        // the lock session ends (as in a network fault): the lease is lost and taken again
        jdbc.queryForList("select pg_terminate_backend(pid) from pg_stat_activity "
                + "where application_name = 'reseq-leases' and datname = current_database()");
        await().atMost(DEADLINE).until(() -> pipeline.epoch(destination) > epochBefore);
        List<WorkItem> again = new ArrayList<>();
        await().atMost(DEADLINE).until(() -> {
            again.addAll(pipeline.takeWork(destination));
            return again.size() >= 14;
        });
        for (WorkItem item : again) {
            pipeline.finish(item, true);
        }

        assertThat(again).extracting(WorkItem::sequence)
                .containsExactlyInAnyOrder(6L, 7L, 8L, 9L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
        await().atMost(DEADLINE).until(() -> pipeline.releasedCursor(destination) == 20);
        assertThat(pipeline.outSequences(destination)).containsExactlyElementsOf(LongStream.rangeClosed(1, 20).boxed().toList());
    }

    /** Finishes a random part of {@code pending} in a random order, as parallel workers would. */
    private void finishSome(String destination, Map<Long, WorkItem> pending) {
        List<WorkItem> items = new ArrayList<>(pending.values());
        Collections.shuffle(items, random);
        int count = items.isEmpty() ? 0 : 1 + random.nextInt(items.size());
        for (WorkItem item : items.subList(0, count)) {
            pipeline.finish(item, true);
            pending.remove(item.sequence());
        }
    }

    /** A lease of {@code destination} with {@code epoch} whose term holds, as a leader would have it. */
    private static Lease lease(String destination, long epoch) {
        return new Lease(destination, 0, LeaseRole.RESEQUENCER, epoch, 0, LeaseTerm.renewedNow(Duration.ofMinutes(1)));
    }
}
