package org.reseq.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.infra.TestInfrastructure;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationConfigJson;
import org.reseq.model.destination.DestinationType;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.TransformResult;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Egress while PostgreSQL refuses its database (no new connections, open ones cut): leaders pause
 * after what they delivered, never skip or reorder, and resume by themselves once it is back;
 * readiness follows PostgreSQL, liveness stays up. The outage is made from inside the stub
 * destination, when a given sequence arrives, so it always hits a batch in flight. Each test starts
 * with the connection pool full, so the outage cuts every connection the service has.
 */
@SpringBootTest(properties = {
        "reseq.egress.poll-interval=100ms",
        "reseq.egress.lease-tick=200ms",
        "reseq.egress.retry.initial-delay=10ms",
        "reseq.egress.retry.max-delay=200ms",
        "spring.datasource.hikari.connection-timeout=500",
        "spring.datasource.hikari.validation-timeout=250",
        // A pool that never grows or shrinks: no connection is being opened when PostgreSQL
        // starts refusing, as one that has passed its database check by then would survive.
        "spring.datasource.hikari.minimum-idle=6",
        "spring.datasource.hikari.maximum-pool-size=6",
        "reseq.instance-id=egress-outage"})
class EgressOutageIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("egress-outage");
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int MAX_BATCH = 5;
    private static final StubDestination stub = StubDestination.start();

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private StringRedisTemplate signals;
    @Autowired
    private RedisConnectionFactory connectionFactory;
    @Autowired
    private PlatformTransactionManager transactions;
    @Autowired
    private HealthEndpoint health;
    @Autowired
    private DataSource dataSource;

    private final RedisKeys keys = new RedisKeys(INFRA.redisPrefix());
    private EgressFixture fixture;

    @BeforeEach
    void fixture() {
        fixture = new EgressFixture(jdbc, transactions, connectionFactory, signals, keys);
    }

    /** After an earlier outage too: every connection of the pool is open again. */
    @BeforeEach
    void poolIsFull() {
        HikariDataSource pool = (HikariDataSource) dataSource;
        await().atMost(DEADLINE).until(() -> pool.getHikariPoolMXBean().getTotalConnections()
                == pool.getMaximumPoolSize());
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
        // A commit after every batch, so that where delivery pauses is exact: one batch past
        // the failed write, not one commit interval.
        registry.add("reseq.egress.cursor-commit-interval", () -> "0ms");
    }

    @AfterAll
    static void stopStub() {
        stub.close();
    }

    @Test
    void aCursorWriteThatFailsIsKeptAndStoredOnceTheStoreIsBackWithoutRepeats() throws Exception {
        String destination = "cursor-kept";
        createDestination(destination);
        release(destination, 1, 10);
        awaitDelivered(destination, 10);
        // The pool loses PostgreSQL while 13 is delivered; the lease's own session survives.
        stub.onReceive(destination, 13, () -> refuseConnections(false));
        try {
            release(destination, 11, 30);

            int pausedAt = awaitPaused(destination);
            // The failed commit is noticed a few deliveries later (commits run beside delivery);
            // how many depends on how busy the machine is.
            assertThat(pausedAt).isBetween(13, 20);
            assertThat(health.healthForPath("readiness").getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.healthForPath("liveness").getStatus()).isEqualTo(Status.UP);
        } finally {
            INFRA.allowConnections();
        }

        awaitDelivered(destination, 30);
        assertThat(stub.received(destination)).extracting(StubDestination.Received::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 30).boxed().toList());
        await().atMost(DEADLINE).until(() -> outStreamLength(destination) == 0);
        await().atMost(DEADLINE).until(() -> health.healthForPath("readiness").getStatus().equals(Status.UP));
    }

    @Test
    void whenTheLeaseSessionBreaksTooDeliveryResumesRepeatingOnlyWhatWasDelivered() throws Exception {
        String destination = "session-lost";
        createDestination(destination);
        release(destination, 1, 10);
        awaitDelivered(destination, 10);
        stub.onReceive(destination, 13, () -> refuseConnections(true));
        try {
            release(destination, 11, 30);

            assertThat(awaitPaused(destination)).isBetween(13, 15);
            assertThat(health.healthForPath("liveness").getStatus()).isEqualTo(Status.UP);
        } finally {
            INFRA.allowConnections();
        }

        awaitDelivered(destination, 30);
        List<Long> received = stub.received(destination).stream().map(StubDestination.Received::sequence).toList();
        assertInOrderExceptRepeats(received);
        assertThat(Set.copyOf(received)).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 30).boxed()
                .toList());
        assertThat(received.size() - 30).as("repeats").isLessThanOrEqualTo(MAX_BATCH);
        await().atMost(DEADLINE).until(() -> outStreamLength(destination) == 0);
    }

    /** Waits until the destination stops receiving, and returns how many requests it received. */
    private int awaitPaused(String destination) {
        await().atMost(DEADLINE).until(() -> stub.received(destination).size() >= 13);
        // Two looks 700 ms apart that see no new request mean the leader paused...
        await().pollInterval(Duration.ofMillis(700)).atMost(DEADLINE)
                .until(new SizeStaysPut(() -> stub.received(destination).size()));
        int paused = stub.received(destination).size();
        // ...and it stays paused for as long as PostgreSQL is away.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> stub.received(destination).size() == paused);
        return paused;
    }

    /** Every sequence is the next one, or a repeat of one delivered before (after a failover). */
    private static void assertInOrderExceptRepeats(List<Long> received) {
        Set<Long> seen = new HashSet<>();
        long highest = 0;
        for (long sequence : received) {
            if (sequence <= highest) {
                assertThat(seen).as("%s repeats a delivered sequence in %s", sequence, received).contains(sequence);
            } else {
                assertThat(sequence).as("the next after %d in %s", highest, received).isEqualTo(highest + 1);
                highest = sequence;
            }
            seen.add(sequence);
        }
    }

    /** PostgreSQL refuses this database: no new connections, and open ones are cut, the lease sessions too or not. */
    private static void refuseConnections(boolean leaseSessionsToo) {
        try {
            if (leaseSessionsToo) {
                INFRA.refuseConnections();
            } else {
                INFRA.refuseConnectionsSparing("reseq-leases");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void createDestination(String name) {
        DestinationConfig config = new DestinationConfig(DestinationType.HTTP, stub.url(name), null, null, null, null,
                List.of(), MAX_BATCH, null, null, null, null, null, null, null);
        fixture.createDestination(name, DestinationConfigJson.write(config), false, 0, 0);
    }

    /** Puts results {@code from..to} on the out stream as the resequencer would, then signals. */
    private void release(String destination, long from, long to) {
        fixture.append(destination, LongStream.rangeClosed(from, to)
                .mapToObj(sequence -> new TransformResult(sequence, UUID.randomUUID(), true, "text/plain",
                        ("n=" + sequence).getBytes(StandardCharsets.UTF_8), "", 1, 0))
                .toList());
        fixture.signalReleased(destination, to);
    }

    private void awaitDelivered(String destination, long sequence) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> fixture.deliveredCursor(destination) == sequence);
    }

    private long deliveredCursor(String destination) {
        return fixture.deliveredCursor(destination);
    }

    private long outStreamLength(String destination) {
        return fixture.outStreamLength(destination);
    }
}
