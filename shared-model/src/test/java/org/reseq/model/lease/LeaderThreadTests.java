package org.reseq.model.lease;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
}
