package org.reseq.model.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LeaderThreadTests {

    @Test
    void theFirstLeadersGetPlatformThreadsTheRestVirtualOnes() {
        int platform = RunningLeaders.PLATFORM_THREAD_LEADERS;

        assertThat(RunningLeaders.leaderThread(0).unstarted(() -> { }).isVirtual()).isFalse();
        assertThat(RunningLeaders.leaderThread(platform - 1).unstarted(() -> { }).isVirtual()).isFalse();
        assertThat(RunningLeaders.leaderThread(platform).unstarted(() -> { }).isVirtual()).isTrue();
        assertThat(RunningLeaders.leaderThread(1_000).unstarted(() -> { }).isVirtual()).isTrue();
    }

    @Test
    void platformLeaderThreadsDoNotKeepTheJvmAlive() {
        assertThat(RunningLeaders.leaderThread(0).unstarted(() -> { }).isDaemon()).isTrue();
    }

    @Test
    void aLeaderLogsWithItsDestinationAndRoleInTheLogContext() {
        Lease lease = new Lease("orders", 1, LeaseRole.EGRESS, 3, 0, new LeaseTerm(Duration.ofSeconds(10)));
        AtomicReference<String> destination = new AtomicReference<>();
        AtomicReference<String> role = new AtomicReference<>();

        RunningLeaders.lead(led -> {
            destination.set(MDC.get("destination"));
            role.set(MDC.get("leaseRole"));
        }, lease);

        assertThat(destination.get()).isEqualTo("orders");
        assertThat(role.get()).isEqualTo("EGRESS");
        assertThat(MDC.get("destination")).as("cleared when the leader ends").isNull();
    }
}
