package org.reseq.egress.delivery.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
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
    @ValueSource(ints = {100, 199, 300, 301, 304, 408, 429, 500, 502, 503, 504, 599})
    void timeoutsTooManyRequestsServerErrorsAndTheRestAreRetried(int status) {
        assertThat(ResponseClassifier.classify(status)).isEqualTo(Verdict.RETRY);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 499})
    void otherClientErrorsArePermanent(int status) {
        assertThat(ResponseClassifier.classify(status)).isEqualTo(Verdict.PERMANENT);
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        Instant now = Instant.parse("2026-11-21T12:00:00Z");

        assertThat(ResponseClassifier.retryAfter(Optional.of("1"), now)).contains(Duration.ofSeconds(1));
        assertThat(ResponseClassifier.retryAfter(Optional.of(" 120 "), now)).contains(Duration.ofMinutes(2));
        assertThat(ResponseClassifier.retryAfter(Optional.of("Sat, 21 Nov 2026 12:00:30 GMT"), now))
                .contains(Duration.ofSeconds(30));
        assertThat(ResponseClassifier.retryAfter(Optional.of("Sat, 21 Nov 2026 11:00:00 GMT"), now))
                .contains(Duration.ZERO);
        assertThat(ResponseClassifier.retryAfter(Optional.of("-5"), now)).contains(Duration.ZERO);
        assertThat(ResponseClassifier.retryAfter(Optional.of("soon"), now)).isEmpty();
        assertThat(ResponseClassifier.retryAfter(Optional.empty(), now)).isEmpty();
    }

    @Test
    void noAnswerIsRetried() {
        assertThat(ResponseClassifier.classify(new SocketTimeoutException("timed out"))).isEqualTo(Verdict.RETRY);
        assertThat(ResponseClassifier.classify(new ConnectException("refused"))).isEqualTo(Verdict.RETRY);
        assertThat(ResponseClassifier.classify(new IOException("reset"))).isEqualTo(Verdict.RETRY);
    }

    @Test
    void reasonsNameWhatWentWrong() {
        assertThat(ResponseClassifier.describe(503)).isEqualTo("answered HTTP 503");
        assertThat(ResponseClassifier.describe(new SocketTimeoutException("x"))).isEqualTo("no answer within the timeout");
        assertThat(ResponseClassifier.describe(new ConnectException("refused"))).contains("cannot connect", "refused");
    }

    @Test
    void aUrlTheClientQuotesHasItsSecretsMasked() {
        assertThat(ResponseClassifier.describe(new IOException("bad request https://u:pw@h/p?token=s3cret")))
                .isEqualTo("IOException: bad request https://***@h/p?token=***");
        assertThat(ResponseClassifier.describe(new ConnectException("to http://u:pw@h:81/ refused")))
                .isEqualTo("cannot connect: to http://***@h:81/ refused");
    }
}
