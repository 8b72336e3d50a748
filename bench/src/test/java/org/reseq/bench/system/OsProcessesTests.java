package org.reseq.bench.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OsProcessesTests {

    @Test
    void addsOwnAndReapedChildrensCpuTicks() {
        String stat = "4242 (postgres: 15/main: walwriter) S 1 4242 4242 0 -1 4194304 125 0 0 0 7 3 11 13 20 0 1 0";

        assertThat(OsProcesses.cpuTicks(stat)).isEqualTo(7 + 3 + 11 + 13);
    }

    @Test
    void readsTheResidentMemoryOfALiveProcess() {
        OsProcess self = new OsProcess(ProcessHandle.current().pid(), "bench");

        assertThat(OsProcesses.residency(self).privateBytes()).isGreaterThan(1024 * 1024);
        assertThat(OsProcesses.residency(self).fileBytes()).isPositive();
        assertThat(OsProcesses.cpuSeconds(java.util.List.of(self))).isGreaterThan(0);
    }

    @Test
    void countsWhatProcessesOfOneKindShareOnce() {
        var backend = new OsProcesses.Residency(10, 30, 100);
        var otherBackend = new OsProcesses.Residency(20, 25, 128);

        assertThat(OsProcesses.residentBytes(java.util.List.of(backend, otherBackend))).isEqualTo(10 + 20 + 30 + 128);
        assertThat(OsProcesses.residentBytes(java.util.List.of(backend))).isEqualTo(10 + 30 + 100);
    }
}
