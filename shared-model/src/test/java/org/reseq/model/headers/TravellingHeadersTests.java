package org.reseq.model.headers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reseq.model.destination.Violation;

class TravellingHeadersTests {

    @ParameterizedTest
    @ValueSource(strings = {"Reseq-Sequence", "reseq-anything", "Idempotency-Key", "Content-Length", "content-type",
            "Content-Encoding", "Transfer-Encoding", "HOST", "Connection", "Keep-Alive", "Proxy-Connection", "TE",
            "Trailer", "Upgrade", "Expect", "Authorization", "Proxy-Authorization", "Cookie", "Traceparent"})
    void namesTheDeliveryOwnsOrThatCarryCredentialsAreRefusedInAnyCase(String name) {
        List<Violation> violations = new ArrayList<>();

        TravellingHeaders.validateName("keepHeaders[0]", name, violations);

        assertThat(TravellingHeaders.isRefused(name)).isTrue();
        assertThat(TravellingHeaders.isRefused(name.toUpperCase(Locale.ROOT))).isTrue();
        assertThat(violations).extracting(Violation::field).containsExactly("keepHeaders[0]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Correlation-Id", "X-Tenant", "tracestate", "Accept-Language", "X-Reseq"})
    void ordinaryNamesMayTravel(String name) {
        List<Violation> violations = new ArrayList<>();

        TravellingHeaders.validateName("keepHeaders[0]", name, violations);

        assertThat(violations).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "X Tenant", "X-Tenant:", "Ünicode", "a\r\nb"})
    void aNameMustBeAToken(String name) {
        List<Violation> violations = new ArrayList<>();

        TravellingHeaders.validateName("keepHeaders[3]", name, violations);

        assertThat(violations).extracting(Violation::field).containsExactly("keepHeaders[3]");
    }

    @Test
    void aListNamesItsDuplicatesWhateverTheirCaseAndItsInvalidEntries() {
        List<Violation> violations = new ArrayList<>();

        TravellingHeaders.validateNames("keepHeaders", List.of("X-Tenant", "Host", "x-tenant", "X-Id"), violations);

        assertThat(violations).extracting(Violation::field).containsExactly("keepHeaders[1]", "keepHeaders[2]");
    }

    @Test
    void aListIsBoundedInCount() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i <= TravellingHeaders.MAX_NAMES; i++) {
            names.add("X-H" + i);
        }
        List<Violation> violations = new ArrayList<>();

        TravellingHeaders.validateNames("keepHeaders", names.subList(0, TravellingHeaders.MAX_NAMES), violations);
        assertThat(violations).isEmpty();

        TravellingHeaders.validateNames("keepHeaders", names, violations);
        assertThat(violations).extracting(Violation::field).containsExactly("keepHeaders");
    }

    @Test
    void aValueIsOneBoundedLineWithTabsAllowed() {
        List<Violation> violations = new ArrayList<>();

        TravellingHeaders.validateValue("headers.X-A", "a\tb c", violations);
        TravellingHeaders.validateValue("headers.X-B", "x".repeat(TravellingHeaders.MAX_VALUE_LENGTH), violations);
        assertThat(violations).isEmpty();

        TravellingHeaders.validateValue("headers.X-C", "x".repeat(TravellingHeaders.MAX_VALUE_LENGTH + 1),
                violations);
        TravellingHeaders.validateValue("headers.X-D", "one\r\ntwo", violations);
        TravellingHeaders.validateValue("headers.X-E", "bell\u0007", violations);
        TravellingHeaders.validateValue("headers.X-F", "del\u007f", violations);
        assertThat(violations).extracting(Violation::field)
                .containsExactly("headers.X-C", "headers.X-D", "headers.X-E", "headers.X-F");
    }

    @Test
    void keepPicksTheKeptNamesInTheChannelsOrderAndSpelling() {
        Map<String, String> sent = Map.of("x-tenant", "acme", "x-other", "no", "x-correlation-id", "c-1");
        List<Violation> violations = new ArrayList<>();

        Map<String, String> kept = TravellingHeaders.keep(List.of("X-Correlation-Id", "X-Missing", "X-Tenant"),
                name -> sent.get(name.toLowerCase(Locale.ROOT)), violations);

        assertThat(violations).isEmpty();
        assertThat(kept).containsExactly(Map.entry("X-Correlation-Id", "c-1"), Map.entry("X-Tenant", "acme"));
    }

    @Test
    void keepNamesAValueOverItsBoundAndATotalOverTheMessagesBound() {
        List<Violation> violations = new ArrayList<>();

        TravellingHeaders.keep(List.of("X-Long"), name -> "x".repeat(TravellingHeaders.MAX_VALUE_LENGTH + 1),
                violations);
        assertThat(violations).extracting(Violation::field).containsExactly("headers.X-Long");

        violations.clear();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            names.add("X-H" + i);
        }
        TravellingHeaders.keep(names, name -> "v".repeat(TravellingHeaders.MAX_VALUE_LENGTH - 4), violations);
        assertThat(violations).extracting(Violation::field).containsExactly("headers");
    }

    @Test
    void keepWithoutNamesKeepsNothing() {
        List<Violation> violations = new ArrayList<>();

        assertThat(TravellingHeaders.keep(Collections.emptyList(), name -> "v", violations)).isEmpty();
        assertThat(violations).isEmpty();
    }
}
