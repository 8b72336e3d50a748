package org.reseq.bench.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CleanupWindowsTests {

    private final CleanupWindows windows = new CleanupWindows(new long[][] {{300, 400}, {100, 200}});

    @Test
    void anOperationInsideOrAcrossAWindowIsDuringACleanup() {
        assertThat(windows.overlaps(120, 130)).isTrue();
        assertThat(windows.overlaps(50, 150)).isTrue();
        assertThat(windows.overlaps(350, 500)).isTrue();
        assertThat(windows.overlaps(150, 350)).isTrue();
        assertThat(windows.overlaps(0, 1000)).isTrue();
    }

    @Test
    void touchingAWindowCounts() {
        assertThat(windows.overlaps(50, 100)).isTrue();
        assertThat(windows.overlaps(200, 250)).isTrue();
    }

    @Test
    void anOperationBetweenOrOutsideTheWindowsIsNot() {
        assertThat(windows.overlaps(0, 99)).isFalse();
        assertThat(windows.overlaps(201, 299)).isFalse();
        assertThat(windows.overlaps(401, 500)).isFalse();
    }

    @Test
    void withoutWindowsNothingIsDuringACleanup() {
        assertThat(new CleanupWindows(new long[0][]).overlaps(0, Long.MAX_VALUE)).isFalse();
    }
}
