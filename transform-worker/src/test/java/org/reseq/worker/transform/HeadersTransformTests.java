package org.reseq.worker.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.reseq.model.destination.TransformSpec;
import org.reseq.model.destination.Violation;
import org.reseq.transform.PermanentTransformException;
import org.reseq.transform.Transform;
import org.reseq.transform.TransformRequest;
import org.reseq.transform.TransformResponse;

class HeadersTransformTests {

    private static final Map<String, String> SENT = ordered("X-Correlation-Id", "c-1", "X-Tenant", "acme",
            "X-Internal", "yes");

    @Test
    void copiesSetsAndRemovesInThatOrderKeepingPayloadAndPlaces() throws Exception {
        Transform headers = headers(Map.of("x-tenant", "globex", "X-Source", "reseq"),
                Map.of("X-Trace-Id", "x-correlation-id"), List.of("x-internal"));

        TransformResponse response = headers.apply(request("{\"orderId\":\"A-1\"}", SENT));

        assertThat(response.headers()).containsExactly(Map.entry("X-Correlation-Id", "c-1"),
                Map.entry("X-Tenant", "globex"), Map.entry("X-Trace-Id", "c-1"), Map.entry("X-Source", "reseq"));
        assertThat(new String(response.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"orderId\":\"A-1\"}");
        assertThat(response.contentType()).isEqualTo("application/json");
    }

    @Test
    void expressionsReadThePayloadTheMetadataAndTheHeaders() throws Exception {
        Transform headers = headers(ordered(
                "X-Order", expression("orderId"),
                "X-Total", expression("$sum(lines.price)"),
                "X-Express", expression("express"),
                "X-Route", expression("$destination & '/' & $sequence & '/' & $headers.`X-Tenant`"),
                "X-Missing", expression("nothing.here")), Map.of(), List.of());

        TransformResponse response = headers.apply(request(
                "{\"orderId\":\"A-1\",\"express\":true,\"lines\":[{\"price\":2},{\"price\":3}]}", SENT));

        assertThat(response.headers()).containsEntry("X-Order", "A-1").containsEntry("X-Total", "5")
                .containsEntry("X-Express", "true").containsEntry("X-Route", "orders/7/acme")
                .doesNotContainKey("X-Missing");
    }

    @Test
    void aPayloadThatIsNotJsonLeavesOnlyTheMetadataToExpressions() throws Exception {
        Transform headers = headers(ordered("X-Seq", expression("$string($sequence)"), "X-Order",
                expression("orderId")), Map.of(), List.of());

        TransformResponse response = headers.apply(request("plain text", Map.of()));

        assertThat(response.headers()).containsExactly(Map.entry("X-Seq", "7"));
    }

    @Test
    void anExpressionThatGivesAnObjectOrFailsFailsForGood() {
        assertThatThrownBy(() -> headers(Map.of("X-Order", expression("{ 'a': 1 }")), Map.of(), List.of())
                .apply(request("{}", Map.of())))
                .isInstanceOf(PermanentTransformException.class)
                .hasMessageContaining("not a string, number or boolean");
        assertThatThrownBy(() -> headers(Map.of("X-Order", expression("$error('no')")), Map.of(), List.of())
                .apply(request("{}", Map.of())))
                .isInstanceOf(PermanentTransformException.class)
                .hasMessageContaining("headers transform (X-Order) failed");
    }

    @Test
    void theConfigurationIsCheckedWhenSaved() {
        assertThat(violations(new TransformSpec.Headers(null, null, null))).extracting(Violation::field)
                .containsExactly("transforms[0]");
        assertThat(violations(new TransformSpec.Headers(ordered("Host", "x", "X-Bad", "two\nlines",
                "X-Expr", expression("{ 'a': "), "X-Odd", 7), Map.of("Reseq-Sequence", "X-A"), List.of("not a name"))))
                .extracting(Violation::field).containsExactlyInAnyOrder("transforms[0].set.Host",
                        "transforms[0].set.X-Bad", "transforms[0].set.X-Expr.jsonata", "transforms[0].set.X-Odd",
                        "transforms[0].copy.Reseq-Sequence", "transforms[0].remove[0]");
    }

    @Test
    void aChainRefusesAStepThatSetsAHeaderTheDeliveryOwns() {
        TransformChain chain = new TransformChain(List.of(request -> new TransformResponse(request.payload(),
                request.contentType(), Map.of("Content-Length", "1"))), java.time.Duration.ofSeconds(1), 1);

        assertThatThrownBy(() -> chain.apply(request("{}", Map.of())))
                .isInstanceOf(PermanentTransformException.class)
                .hasMessageContaining("sets header 'Content-Length'");
    }

    private static Transform headers(Map<String, Object> set, Map<String, String> copy, List<String> remove) {
        TransformSpec.Headers spec = new TransformSpec.Headers(set, copy, remove);
        assertThat(violations(spec)).isEmpty();
        return new HeadersTransform(spec, JsonataLimits.DEFAULTS);
    }

    private static List<Violation> violations(TransformSpec spec) {
        List<Violation> violations = new ArrayList<>();
        spec.validate("transforms[0]", violations);
        return violations;
    }

    private static Map<String, String> expression(String text) {
        return Map.of(TransformSpec.Headers.EXPRESSION, text);
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> ordered(Object... namesAndValues) {
        Map<String, V> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], (V) namesAndValues[i + 1]);
        }
        return map;
    }

    private static TransformRequest request(String payload, Map<String, String> headers) {
        return new TransformRequest(payload.getBytes(StandardCharsets.UTF_8), "application/json", headers, "orders",
                7, UUID.randomUUID());
    }
}
