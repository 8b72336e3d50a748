package org.reseq.model.lease;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeaderThreadTests {

    @Test
    void theFirstLeadersGetPlatformThreadsTheRestVirtualOnes() {
        int platform = LeaseKeeper.PLATFORM_THREAD_LEADERS;

        assertThat(LeaseKeeper.leaderThread(0).unstarted(() -> { }).isVirtual()).isFalse();
        assertThat(LeaseKeeper.leaderThread(platform - 1).unstarted(() -> { }).isVirtual()).isFalse();
        assertThat(LeaseKeeper.leaderThread(platform).unstarted(() -> { }).isVirtual()).isTrue();
        assertThat(LeaseKeeper.leaderThread(1_000).unstarted(() -> { }).isVirtual()).isTrue();
    }

    @Test
    void platformLeaderThreadsDoNotKeepTheJvmAlive() {
        assertThat(LeaseKeeper.leaderThread(0).unstarted(() -> { }).isDaemon()).isTrue();
    }
}
