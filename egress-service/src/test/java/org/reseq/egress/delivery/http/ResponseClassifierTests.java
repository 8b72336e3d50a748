package org.reseq.egress.delivery.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reseq.egress.delivery.http.ResponseClassifier.Verdict;

class ResponseClassifierTests {

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204, 299})
    void everyTwoHundredIsAccepted(int status) {
        assertThat(ResponseClassifier.classify(status)).isEqualTo(Verdict.ACCEPTED);
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 199, 300, 301, 304, 400, 401, 404, 409, 429, 500, 502, 503, 504, 599})
    void everythingElseIsRetried(int status) {
        assertThat(ResponseClassifier.classify(status)).isEqualTo(Verdict.RETRY);
    }

    @Test
    void noAnswerIsRetried() {
        assertThat(ResponseClassifier.classify(new HttpTimeoutException("timed out"))).isEqualTo(Verdict.RETRY);
        assertThat(ResponseClassifier.classify(new ConnectException("refused"))).isEqualTo(Verdict.RETRY);
        assertThat(ResponseClassifier.classify(new IOException("reset"))).isEqualTo(Verdict.RETRY);
    }

    @Test
    void reasonsNameWhatWentWrong() {
        assertThat(ResponseClassifier.describe(503)).isEqualTo("answered HTTP 503");
        assertThat(ResponseClassifier.describe(new HttpTimeoutException("x"))).isEqualTo("no answer within the timeout");
        assertThat(ResponseClassifier.describe(new ConnectException("refused"))).contains("cannot connect", "refused");
    }
}
