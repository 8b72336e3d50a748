package org.reseq.bench.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class AckParserTests {

    @Test
    void readsEveryDestinationsSequenceInRouteOrder() {
        String body = """
                {"messageId":"0192f7c8-0000-7000-8000-000000000001","channel":"shop",
                 "deliveries":[{"destination":"orders","sequence":12},{"destination":"demo","sequence":3}]}""";

        assertThat(AckParser.assignments(body))
                .containsExactly(new Assignment("orders", 12), new Assignment("demo", 3));
    }

    @Test
    void rejectsAnAnswerWithoutDeliveries() {
        assertThatIllegalArgumentException().isThrownBy(() -> AckParser.assignments("{\"messageId\":\"x\"}"));
    }
}
