package org.reseq.ingress.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.infra.TestInfrastructure;
import org.reseq.ingress.support.HttpTester;
import org.reseq.ingress.support.HttpTester.Response;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.RedisKeys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Retention against a real PostgreSQL, with periods of seconds: what is delivered everywhere, or
 * whose destinations are gone, goes once the period passed; what is undelivered stays however old;
 * resolved dead letters and old operator actions go, unresolved dead letters stay.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.hikari.maximum-pool-size=4",
        "reseq.retention.delivered=2s",
        "reseq.retention.dead-letters=2s",
        "reseq.retention.operator-actions=2s",
        "reseq.retention.interval=1h", // the test runs it
        "reseq.retention.batch=2"})
@DirtiesContext
class RetentionIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("retention");
    private static final Duration PERIOD = Duration.ofSeconds(2);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RetentionJob retention;

    @Autowired
    MeterRegistry meters;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    RedisKeys redisKeys;

    private HttpTester http;

    @BeforeEach
    void client() {
        http = new HttpTester(port);
    }

    @Test
    void messagesDeliveredEverywhereOrWhoseDestinationsAreGoneGoAndUndeliveredOnesStay() {
        http.channel("both-in", "first", "second");
        http.channel("gone-in", "doomed");
        List<UUID> both = List.of(post("both-in"), post("both-in"), post("both-in"), post("both-in"));
        UUID orphan = post("gone-in");
        cursor("first", 4);
        cursor("second", 2); // messages 3 and 4 are not delivered to "second" yet
        assertThat(http.delete("/admin/v1/channels/gone-in").status()).isEqualTo(204);
        assertThat(http.delete("/admin/v1/destinations/doomed?force=true").status()).isEqualTo(204);

        retention.run(); // marks where delivery stands now
        assertThat(messages("both-in")).as("nothing is past its period yet").containsExactlyInAnyOrderElementsOf(both);
        assertThat(messages("gone-in")).containsExactly(orphan);

        await().pollDelay(PERIOD.plusMillis(200)).atMost(PERIOD.plusSeconds(5)).until(() -> true);
        RetentionJob.Removed removed = retention.run();

        assertThat(messages("both-in")).containsExactlyInAnyOrder(both.get(2), both.get(3));
        assertThat(messages("gone-in")).as("its destination is gone").isEmpty();
        assertThat(removed.messages()).isGreaterThanOrEqualTo(3);
        assertThat(jdbc.sql("select count(*) from delivery where destination in ('first', 'second')")
                .query(Long.class).single()).as("the kept messages keep all their deliveries").isEqualTo(4);
        assertThat(meters.get("reseq.retention.removed").tag("table", "message").counter().count())
                .isGreaterThanOrEqualTo(3);
        assertThat(meters.get("reseq.destination.oldest.undelivered.age").tag("destination", "second").gauge()
                .value()).as("message 3 waits for \"second\"").isGreaterThanOrEqualTo(2);
        assertThat(meters.get("reseq.destination.backlog").tag("destination", "second").gauge().value())
                .as("message 3 waits for \"second\"").isGreaterThanOrEqualTo(1);
        assertThat(meters.get("reseq.retention.table.size").tag("table", "message").gauge().value()).isPositive();
    }

    @Test
    void anUndeliveredMessageStaysHoweverOld() {
        http.channel("stale-in", "stale");
        UUID old = post("stale-in");
        jdbc.sql("update message set arrived_at = now() - interval '400 days' where id = :id").param("id", old)
                .update();

        retention.run();
        await().pollDelay(PERIOD.plusMillis(200)).atMost(PERIOD.plusSeconds(5)).until(() -> true);
        retention.run();

        assertThat(messages("stale-in")).containsExactly(old);
    }

    @Test
    void aDeliveredMessageStaysWhileAnIdempotencyKeyNamesIt() {
        http.channel("keyed-in", "keyed");
        Response keyed = http.postMessage("keyed-in", "text/plain", new byte[] {1}, Map.of("Idempotency-Key", "k-1"));
        UUID message = UUID.fromString(keyed.json().path("messageId").asString());
        cursor("keyed", 1);

        retention.run();
        await().pollDelay(PERIOD.plusMillis(200)).atMost(PERIOD.plusSeconds(5)).until(() -> true);
        retention.run();
        assertThat(messages("keyed-in")).as("a repeat is still answered with its receipt").containsExactly(message);
        Response repeat = http.postMessage("keyed-in", "text/plain", new byte[] {1}, Map.of("Idempotency-Key", "k-1"));
        assertThat(repeat.header("Idempotent-Replayed")).isEqualTo("true");

        // What the key cleaner does once the key's own retention has passed.
        jdbc.sql("delete from idempotency_key where channel = 'keyed-in'").update();
        retention.run();
        assertThat(messages("keyed-in")).isEmpty();
    }

    @Test
    void whatRetentionRemovedIsVacuumedEvenWhenAutovacuumIsOff() {
        http.channel("vacuum-in", "vacuumed");
        for (int i = 0; i < 100; i++) {
            post("vacuum-in");
        }
        cursor("vacuumed", 100);
        retention.run();
        await().pollDelay(PERIOD.plusMillis(200)).atMost(PERIOD.plusSeconds(5)).until(() -> true);

        retention.run();

        assertThat(messages("vacuum-in")).isEmpty();
        boolean autovacuum = "on".equals(jdbc.sql("select current_setting('autovacuum')").query(String.class).single());
        if (autovacuum) {
            assertThat(meters.find("reseq.retention.vacuums").counter()).as("autovacuum does it").isNull();
        } else {
            // Otherwise the table would grow by whatever retention removes. PostgreSQL counts the
            // dead rows a moment after the delete: a later run vacuums them.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                retention.run();
                assertThat(meters.find("reseq.retention.vacuums").tag("table", "message").counter()).isNotNull();
            });
            assertThat(jdbc.sql("select last_vacuum is not null from pg_stat_user_tables where relname = 'message'")
                    .query(Boolean.class).single()).isTrue();
        }
    }

    @Test
    void redisKeysOfDeletedDestinationsGoThoseOfLiveOnesStay() {
        http.channel("swept-in", "swept");
        int live = jdbc.sql("select id from destination where name = 'swept'").query(Integer.class).single();
        String kept = redisKeys.held(new Incarnation("swept", live));
        String ghost = redisKeys.held(new Incarnation("swept", live + 100_000));
        redis.opsForValue().set(kept, "1 held");
        redis.opsForValue().set(ghost, "1 left behind by a leader that missed the delete");

        RetentionJob.Removed removed = retention.run();

        assertThat(redis.hasKey(ghost)).isFalse();
        assertThat(redis.hasKey(kept)).isTrue();
        assertThat(removed.redisKeys()).isEqualTo(1);
        redis.delete(kept);
    }

    @Test
    void theOldestDeliveredMessagesAgeSaysHowFarBehindRetentionIs() {
        http.channel("aged-in", "aged");
        UUID delivered = post("aged-in");
        post("aged-in");
        jdbc.sql("update message set arrived_at = now() - interval '1 hour' where id = :id").param("id", delivered)
                .update();
        cursor("aged", 1);
        jdbc.sql("insert into idempotency_key (channel, key, message_id, arrived_at) values ('aged-in', 'k', :id, now())")
                .param("id", delivered).update(); // keeps it from being removed

        retention.run();

        assertThat(meters.get("reseq.retention.oldest.delivered.age").gauge().value()).isGreaterThanOrEqualTo(3_500);
        jdbc.sql("delete from idempotency_key where channel = 'aged-in'").update();
    }

    @Test
    void resolvedDeadLettersAndOldOperatorActionsGoUnresolvedDeadLettersStay() {
        http.channel("letters-in", "letters");
        jdbc.sql("""
                insert into dead_letter (destination, sequence, message_id, stage, error, attempts, content_type,
                                         payload, dead_lettered_at, redelivered_at)
                values ('letters', 1, gen_random_uuid(), 'DELIVERY', 'e', 1, 't', '', now() - interval '1 day',
                        now() - interval '1 hour'),
                       ('letters', 2, gen_random_uuid(), 'SKIPPED', 'e', 0, 't', '', now() - interval '1 day', null),
                       ('letters', 3, gen_random_uuid(), 'TRANSFORM', 'e', 3, 't', '', now() - interval '1 day', null),
                       ('letters', 4, gen_random_uuid(), 'DELIVERY', 'e', 1, 't', '', now(), now())""").update();
        jdbc.sql("""
                insert into operator_action (destination, action, at)
                values ('letters', 'PAUSE', now() - interval '1 day'), ('letters', 'RESUME', now() - interval '1 day'),
                       ('letters', 'PAUSE', now() - interval '1 day'), ('letters', 'RESUME', now())""").update();

        RetentionJob.Removed removed = retention.run();

        assertThat(jdbc.sql("select sequence from dead_letter where destination = 'letters' order by sequence")
                .query(Long.class).list()).as("unresolved, or resolved just now").containsExactly(3L, 4L);
        assertThat(removed.deadLetters()).isEqualTo(2);
        assertThat(jdbc.sql("select action from operator_action where destination = 'letters'")
                .query(String.class).list()).containsExactly("RESUME");
        assertThat(removed.operatorActions()).isEqualTo(3);
    }

    private List<UUID> messages(String channel) {
        return jdbc.sql("select id from message where channel = :channel").param("channel", channel)
                .query(UUID.class).list();
    }

    private UUID post(String channel) {
        Response posted = http.postMessage(channel, "text/plain", new byte[] {1}, Map.of());
        assertThat(posted.status()).as(posted.text()).isEqualTo(202);
        return UUID.fromString(posted.json().path("messageId").asString());
    }

    private void cursor(String destination, long delivered) {
        jdbc.sql("update destination_cursor set position = :p where destination = :d and role = 'EGRESS'")
                .param("p", delivered).param("d", destination).update();
    }
}
