package org.reseq.model.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.junit.jupiter.api.Test;

class BlockingHttpTests {

    @Test
    void onlyAnInterruptionEndsARequestTimeoutsAreRetried() {
        assertThat(BlockingHttp.interrupted(new InterruptedIOException("lease given up"))).isTrue();
        assertThat(BlockingHttp.interrupted(new SocketTimeoutException("no answer"))).isFalse();
        assertThat(BlockingHttp.interrupted(new ConnectTimeoutException("no connection"))).isFalse();
        assertThat(BlockingHttp.interrupted(new IOException("connection reset"))).isFalse();
    }
}
