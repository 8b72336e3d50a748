package org.reseq.model.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseRole;
import org.reseq.model.lease.LeaseTerm;

class LeaderSweepTests {

    private final List<Lease> leases = new ArrayList<>(List.of(lease("orders", 1), lease("billing", 1)));
    private final Map<String, String> progress = new HashMap<>(Map.of("orders", "5", "billing", "7"));
    private final Map<String, String> keys = new HashMap<>(Map.of("orders", "a", "billing", "b"));
    private final List<String> woken = new ArrayList<>();
    private boolean storeDown;

    private final LeaderSweep sweep = new LeaderSweep("test", Duration.ofSeconds(1), () -> List.copyOf(leases),
            List.of(led -> {
                if (storeDown) {
                    throw new SQLException("connection refused");
                }
                return Map.copyOf(progress);
            }, led -> Map.copyOf(keys)), woken::add);

    private static Lease lease(String destination, long epoch) {
        return new Lease(destination, 1, LeaseRole.RESEQUENCER, epoch, 0, new LeaseTerm(Duration.ofSeconds(10)));
    }

    @Test
    void aDestinationSeenForTheFirstTimeIsWokenOnce() {
        sweep.sweep();
        sweep.sweep();

        assertThat(woken).containsExactlyInAnyOrder("orders", "billing");
    }

    @Test
    void aChangeInAnyPartOfTheFingerprintWakesOnlyThatDestination() {
        sweep.sweep();
        woken.clear();

        progress.put("orders", "6");
        sweep.sweep();
        keys.put("billing", "c");
        sweep.sweep();

        assertThat(woken).containsExactly("orders", "billing");
    }

    @Test
    void aDeletedDestinationCountsAsAChange() {
        sweep.sweep();
        woken.clear();

        progress.remove("orders");
        sweep.sweep();

        assertThat(woken).containsExactly("orders");
    }

    @Test
    void aNewLeaseOfTheSameDestinationIsWokenEvenWithTheSameFingerprint() {
        sweep.sweep();
        woken.clear();

        leases.set(0, lease("orders", 2));
        sweep.sweep();

        assertThat(woken).containsExactly("orders");
    }

    @Test
    void afterAFailedLookEveryLeaderIsWokenBecauseWhatChangedMeanwhileIsUnknown() {
        sweep.sweep();
        woken.clear();

        storeDown = true;
        sweep.sweep();
        assertThat(woken).isEmpty();
        storeDown = false;
        sweep.sweep();

        assertThat(woken).containsExactlyInAnyOrder("orders", "billing");
    }

    @Test
    void aLeaseGivenUpIsForgottenAndWokenAgainWhenTakenBack() {
        sweep.sweep();
        woken.clear();

        Lease billing = leases.remove(1);
        sweep.sweep();
        leases.add(billing);
        sweep.sweep();

        assertThat(woken).containsExactly("billing");
    }
}
