package org.reseq.model.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The keeper's upkeep on {@link InMemoryLeases} with a mutable clock: balancing, take-over of a
 * silent instance, stopping on a lost term and on deletion, restarting a leader that ended. The
 * same keeper runs against PostgreSQL in {@link LeaseKeeperIntegrationTests}.
 */
class LeaseKeeperTests {

    private static final LeaseTimings TIMINGS = LeasesContract.TIMINGS;
    private static final LeaseKeeper.Balance BALANCE =
            new LeaseKeeper.Balance(Duration.ofMillis(500), 0, Duration.ofSeconds(1));

    private final InMemoryLockTable table = new InMemoryLockTable();
    private final List<String> destinations = new CopyOnWriteArrayList<>();
    private final List<LeaseKeeper> keepers = new CopyOnWriteArrayList<>();
    /** Every lease a leader was started with, in order, across all keepers. */
    private final List<Lease> started = new CopyOnWriteArrayList<>();
    private final Map<Lease, BlockingLeader> leaders = new ConcurrentHashMap<>();

    @AfterEach
    void closeKeepers() {
        keepers.forEach(LeaseKeeper::close);
    }

    @Test
    void twoInstancesSplitTheDestinationsEvenly() {
        create(4);
        LeaseKeeper first = keeper("first");
        LeaseKeeper second = keeper("second");
        first.renew();
        second.renew();

        first.tick();
        second.tick();

        assertThat(first.leading()).hasSize(2);
        assertThat(second.leading()).hasSize(2).doesNotContainAnyElementsOf(first.leading());
    }

    @Test
    void aSilentInstancesLeasesAreTakenOverOnlyAfterItsTermEnded() {
        create(2);
        LeaseKeeper frozen = keeper("frozen");
        frozen.renew();
        frozen.tick();
        List<Lease> frozenLeases = awaitStarted(2);
        LeaseKeeper live = keeper("live");

        table.elapse(TIMINGS.timeout().plusMillis(200)); // "frozen" renews no more
        live.renew();
        live.tick();

        assertThat(live.leading()).containsExactlyInAnyOrderElementsOf(destinations);
        assertThat(frozenLeases).allSatisfy(lease -> assertThat(lease.term().valid()).isFalse());
        assertThat(awaitStarted(4).subList(2, 4)).allSatisfy(lease -> {
            assertThat(lease.term().valid()).isTrue();
            assertThat(lease.epoch()).isGreaterThan(epochBefore(frozenLeases, lease.destination()));
        });

        frozen.tick(); // it wakes: its leaders stop, and it holds nothing
        assertThat(frozen.leading()).isEmpty();
        assertThat(frozenLeases).allSatisfy(lease -> assertThat(leaders.get(lease).stopped()).isTrue());
    }

    @Test
    void aKeeperThatCannotRenewStopsItsLeadersWhenTheTermEndsThoughNobodyTookOver() {
        create(1);
        LeaseKeeper keeper = keeper("alone");
        keeper.renew();
        keeper.tick();
        Lease lease = awaitStarted(1).getFirst();
        table.reachable(false);

        table.elapse(TIMINGS.validity().plusMillis(1));
        keeper.renew();
        keeper.tick();

        assertThat(keeper.leading()).isEmpty();
        assertThat(leaders.get(lease).stopped()).isTrue();
    }

    @Test
    void aDeletedDestinationsLeaderIsStopped() {
        create(2);
        LeaseKeeper keeper = keeper("only");
        keeper.renew();
        keeper.tick();
        List<Lease> leases = awaitStarted(2);

        String gone = destinations.removeFirst();
        table.delete(gone);
        keeper.tick();

        assertThat(keeper.leading()).containsExactlyElementsOf(destinations);
        Lease goneLease = leases.stream().filter(lease -> lease.destination().equals(gone)).findFirst().orElseThrow();
        assertThat(leaders.get(goneLease).stopped()).isTrue();
    }

    @Test
    void aLeaderThatEndedHasItsLeaseReleasedAndIsStartedAgainWithAHigherEpoch() {
        create(1);
        LeaseKeeper keeper = keeper("restarting");
        keeper.renew();
        keeper.tick();
        Lease first = awaitStarted(1).getFirst();

        leaders.get(first).stop(); // as if it had failed
        await().atMost(Duration.ofSeconds(5)).until(() -> !leaders.get(first).running());
        keeper.tick();

        assertThat(awaitStarted(2).get(1).epoch()).isGreaterThan(first.epoch());
    }

    /** The leases leaders were started with, once {@code count} have started (each on its own thread). */
    private List<Lease> awaitStarted(int count) {
        await().atMost(Duration.ofSeconds(5)).until(() -> started.size() >= count);
        return List.copyOf(started);
    }

    private void create(int count) {
        IntStream.rangeClosed(1, count).mapToObj(i -> "d" + i).forEach(name -> {
            destinations.add(name);
            table.create(name);
        });
    }

    private LeaseKeeper keeper(String instance) {
        InMemoryLeases leases = new InMemoryLeases(table, LeaseRole.RESEQUENCER, instance, TIMINGS);
        LeaseKeeper keeper = new LeaseKeeper(leases, () -> List.copyOf(destinations), destination -> new BlockingLeader(),
                BALANCE);
        keepers.add(keeper);
        return keeper;
    }

    private static long epochBefore(List<Lease> leases, String destination) {
        return leases.stream().filter(lease -> lease.destination().equals(destination)).mapToLong(Lease::epoch)
                .max().orElse(0);
    }

    /** Leads until asked to stop, recording the lease it was started with. */
    private final class BlockingLeader implements StoppableLeader {

        private final CountDownLatch stop = new CountDownLatch(1);
        private final CountDownLatch ended = new CountDownLatch(1);

        @Override
        public void lead(Lease lease) throws InterruptedException {
            leaders.put(lease, this);
            started.add(lease);
            try {
                stop.await();
            } finally {
                ended.countDown();
            }
        }

        @Override
        public void stop() {
            stop.countDown();
        }

        /** Whether it ended, waiting a moment for it to. */
        boolean stopped() {
            try {
                return ended.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        boolean running() {
            return ended.getCount() > 0;
        }
    }
}
