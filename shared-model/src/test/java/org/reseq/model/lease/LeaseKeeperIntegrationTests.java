package org.reseq.model.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reseq.infra.Infrastructure;
import org.reseq.model.destination.DestinationRepository;

/**
 * Several {@link LeaseKeeper}s of one role against a real PostgreSQL, each ticked by its own
 * scheduler as in a service: they share the destinations evenly, hand leases over when one stops
 * or joins, and stop acting when their lock session breaks.
 */
class LeaseKeeperIntegrationTests {

    private static final Duration TICK = Duration.ofMillis(100);
    private static final Duration SOON = Duration.ofSeconds(10);
    private static final LeaseKeeper.Balance BALANCE =
            new LeaseKeeper.Balance(Duration.ofSeconds(1), 0, Duration.ofSeconds(2));

    private static HikariDataSource dataSource;
    private static DataSource lockConnections;
    private static DestinationRepository destinations;

    private final List<Member> members = new ArrayList<>();

    @BeforeAll
    static void migrate() throws SQLException {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(Infrastructure.postgres().createFreshDatabase("lease_keeper"));
        dataSource.setUsername(Infrastructure.postgres().user());
        dataSource.setPassword(Infrastructure.postgres().password());
        lockConnections = LockConnections.unpooled(dataSource.getJdbcUrl(), dataSource.getUsername(),
                dataSource.getPassword());
        Flyway.configure().dataSource(dataSource).load().migrate();
        destinations = new DestinationRepository(dataSource);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (int i = 1; i <= 6; i++) {
                statement.execute("insert into destination (name, config) values ('d" + i + "', '{}')");
            }
        }
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    @AfterEach
    void stopMembers() {
        members.forEach(Member::close);
    }

    @Test
    void twoInstancesSplitTheDestinationsEvenlyAndStaySplit() {
        Member first = join("first", false);
        Member second = join("second", false);

        awaitSplit(3, first, second);

        int startsBefore = first.starts.get() + second.starts.get();
        await().during(Duration.ofSeconds(2)).atMost(SOON)
                .until(() -> first.keeper.leading().size() == 3 && second.keeper.leading().size() == 3);
        assertThat(first.starts.get() + second.starts.get()).as("no lease moved once split").isEqualTo(startsBefore);
    }

    @Test
    void whenOneInstanceClosesTheOtherLeadsEverythingWithinSeconds() {
        Member first = join("first", false);
        Member second = join("second", false);
        awaitSplit(3, first, second);

        first.close();

        assertThat(first.active).as("every leader stopped before its lease went").isEmpty();
        // A leader joins `active` on its own thread, a moment after the keeper recorded its lease.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> second.keeper.leading().size() == 6 && second.active.size() == 6);
    }

    @Test
    void joiningInstancesTakeTheirShare() {
        Member first = join("first", false);
        await().atMost(SOON).until(() -> first.keeper.leading().size() == 6);

        Member second = join("second", false);
        awaitSplit(3, first, second);

        Member third = join("third", false);
        awaitSplit(2, first, second, third);
    }

    @Test
    void aBrokenLockSessionStopsThatInstancesLeadersAtTheNextTick() throws SQLException {
        Member first = join("first", false);
        Member second = join("second", false);
        awaitSplit(3, first, second);
        List<TestLeader> leadersBefore = List.copyOf(first.active);

        terminateLockSessionOf("first");

        await().atMost(Duration.ofSeconds(2)).until(() -> leadersBefore.stream().allMatch(l -> l.ended));
        awaitSplit(3, first, second); // and the instances share again once the session is back
    }

    @Test
    void aCrashedInstanceIsCountedOutAtOnceNotAfterTheLivenessWindow() throws SQLException {
        LeaseKeeper.Balance slowLiveness = BALANCE.withLiveness(Duration.ofSeconds(60));
        Member first = join("first", false, slowLiveness);
        Member second = join("second", false, slowLiveness);
        awaitSplit(3, first, second);

        second.ticker.shutdownNow(); // as kill -9 would: no more ticks, no goodbye
        terminateLockSessionOf("second");

        await().atMost(Duration.ofSeconds(5)).until(() -> first.keeper.leading().size() == 6);
    }

    @Test
    void aStoppableLeaderIsAskedToStopRatherThanInterrupted() {
        Member member = join("polite", true);
        await().atMost(SOON).until(() -> member.keeper.leading().size() == 6);
        List<TestLeader> leaders = List.copyOf(member.active);

        member.close();

        assertThat(leaders).allSatisfy(leader -> {
            assertThat(leader.ended).isTrue();
            assertThat(leader.interrupted).as("stopped by request, not by an interrupt").isFalse();
        });
    }

    @Test
    void aClosedKeeperThatTicksAgainJoinsAgain() {
        Member member = join("restarted", false);
        await().atMost(SOON).until(() -> member.keeper.leading().size() == 6);

        member.close();
        assertThat(member.keeper.leading()).isEmpty();
        member.keeper.tick();

        assertThat(member.keeper.leading()).as("as after a restart of its application context").hasSize(6);
        member.keeper.close();
    }

    @Test
    void aTickAskedForTakesADestinationCreatedSinceTheLastTick() throws SQLException {
        AdvisoryLockLeases leases = new AdvisoryLockLeases(lockConnections, LeaseRole.RESEQUENCER, "eager");
        LeaseKeeper keeper = new LeaseKeeper(leases, destinations::names,
                destination -> lease -> new CountDownLatch(1).await(), BALANCE);
        // one tick at the start, the next in an hour: only the tick asked for can take d7
        try (LeaseTicking ticking = new LeaseTicking(keeper, Duration.ofHours(1), Duration.ofSeconds(1), "eager-tick")) {
            await().atMost(SOON).until(() -> keeper.leading().size() == 6);
            execute("insert into destination (name, config) values ('d7', '{}')");
            try {
                ticking.tickSoon();
                ticking.tickSoon(); // coalesced with the first while it waits; harmless either way

                await().atMost(SOON).until(() -> keeper.leading().contains("d7"));
            } finally {
                execute("delete from destination where name = 'd7'");
            }
        }
        assertThat(keeper.leading()).as("closing the ticking closes the keeper").isEmpty();
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private Member join(String name, boolean stoppable) {
        return join(name, stoppable, BALANCE);
    }

    private Member join(String name, boolean stoppable, LeaseKeeper.Balance balance) {
        Member member = new Member(name, stoppable, balance);
        members.add(member);
        return member;
    }

    private static void awaitSplit(int each, Member... members) {
        await().atMost(SOON).until(() -> {
            Set<String> all = new HashSet<>();
            for (Member member : members) {
                if (member.keeper.leading().size() != each || member.active.size() != each) {
                    return false;
                }
                all.addAll(member.keeper.leading());
            }
            return all.size() == each * members.length;
        });
    }

    /** Ends the lock session of {@code instance} as a network fault would, found through its heartbeat. */
    private static void terminateLockSessionOf(String instance) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("select pg_terminate_backend(backend_pid) from service_instance "
                    + "where role = 'RESEQUENCER' and instance_id = '" + instance + "'");
        }
    }

    /** One instance: a keeper ticked by its own scheduler thread, as the services run it. */
    private static final class Member {

        final LeaseKeeper keeper;
        final ScheduledExecutorService ticker;
        final Set<TestLeader> active = ConcurrentHashMap.newKeySet();
        final AtomicInteger starts = new AtomicInteger();
        private boolean closed;

        Member(String name, boolean stoppable, LeaseKeeper.Balance balance) {
            AdvisoryLockLeases leases = new AdvisoryLockLeases(lockConnections, LeaseRole.RESEQUENCER, name);
            keeper = new LeaseKeeper(leases, destinations::names,
                    destination -> stoppable ? new StoppableTestLeader(this) : new TestLeader(this), balance);
            ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(name + "-tick").factory());
            ticker.scheduleWithFixedDelay(keeper::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            ticker.shutdown();
            try {
                ticker.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            keeper.close();
        }
    }

    /** Leads until interrupted, as a leader blocked in I/O does. */
    private static class TestLeader implements DestinationLeader {

        final Member member;
        final CountDownLatch stopped = new CountDownLatch(1);
        volatile boolean ended;
        volatile boolean interrupted;

        TestLeader(Member member) {
            this.member = member;
        }

        @Override
        public void lead(Lease lease) {
            member.starts.incrementAndGet();
            member.active.add(this);
            try {
                stopped.await();
            } catch (InterruptedException e) {
                interrupted = true;
            } finally {
                member.active.remove(this);
                ended = true;
            }
        }
    }

    /** Leads until asked to stop. */
    private static final class StoppableTestLeader extends TestLeader implements StoppableLeader {

        StoppableTestLeader(Member member) {
            super(member);
        }

        @Override
        public void stop() {
            stopped.countDown();
        }
    }
}
