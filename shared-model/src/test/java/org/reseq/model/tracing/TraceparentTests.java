package org.reseq.model.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TraceparentTests {

    private static final String SAMPLED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void readsAVersion00Value() {
        Traceparent parsed = Traceparent.parse(SAMPLED);

        assertThat(parsed.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(parsed.spanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(parsed.sampled()).isTrue();
        assertThat(parsed).hasToString(SAMPLED);
    }

    @Test
    void theSampledFlagIsBitZeroOfTheFlags() {
        assertThat(Traceparent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00").sampled()).isFalse();
        assertThat(Traceparent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03").sampled()).isTrue();
        assertThat(Traceparent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-02").sampled()).isFalse();
    }

    @Test
    void upperCaseAndSurroundingSpaceAreForgivenAndWrittenInCanonicalForm() {
        assertThat(Traceparent.parse(" 00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01 ")).hasToString(SAMPLED);
    }

    @Test
    void aLaterVersionIsReadByItsFirstFourFields() {
        assertThat(Traceparent.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-later"))
                .hasToString(SAMPLED);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "garbage",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902bz-01"})
    void anInvalidValueReadsAsNone(String value) {
        assertThat(Traceparent.parse(value)).isNull();
    }

    @Test
    void idsAreCheckedWhenMadeDirectly() {
        assertThatThrownBy(() -> new Traceparent("abc", "00f067aa0ba902b7", true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Traceparent("4bf92f3577b34da6a3ce929d0e0e4736", "0000000000000000", true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTraceIdsBytesAreItsHexDigits() {
        assertThat(Traceparent.parse(SAMPLED).traceIdBytes())
                .isEqualTo(HexFormat.of().parseHex("4bf92f3577b34da6a3ce929d0e0e4736"));
    }

    @Property
    void whatIsWrittenReadsBackTheSame(@ForAll @StringLength(32) @CharRange(from = 'a', to = 'f') String traceId,
                                       @ForAll @StringLength(16) @CharRange(from = '0', to = '9') String spanDigits,
                                       @ForAll boolean sampled) {
        String spanId = spanDigits.replace('0', '1'); // never all zero
        Traceparent traceparent = new Traceparent(traceId, spanId, sampled);

        assertThat(Traceparent.parse(traceparent.toString())).isEqualTo(traceparent);
    }
}
