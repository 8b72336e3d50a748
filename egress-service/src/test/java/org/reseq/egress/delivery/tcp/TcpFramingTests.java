package org.reseq.egress.delivery.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.reseq.model.destination.Framing;

class TcpFramingTests {

    @Test
    void aLineIsTheUtf8PayloadAndALineFeed() {
        assertThat(TcpFraming.frame(Framing.LINE, "größe 1".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("größe 1\n".getBytes(StandardCharsets.UTF_8));
        assertThat(TcpFraming.frame(Framing.LINE, new byte[0])).containsExactly('\n');
    }

    @Test
    void aLineBreakInALinePayloadCannotBeFramed() {
        assertThatThrownBy(() -> TcpFraming.frame(Framing.LINE, "one\ntwo".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line break");
    }

    @Test
    void aLengthPrefixedFrameIsABigEndianLengthThenTheBytesAsTheyAre() {
        byte[] payload = new byte[300];
        payload[0] = '\n';
        payload[299] = (byte) 0xff;

        byte[] frame = TcpFraming.frame(Framing.LENGTH_PREFIXED, payload);

        assertThat(frame).hasSize(304).startsWith(0, 0, 1, 44);
        assertThat(frame[4]).isEqualTo((byte) '\n');
        assertThat(frame[303]).isEqualTo((byte) 0xff);
        assertThat(TcpFraming.frame(Framing.LENGTH_PREFIXED, new byte[0])).containsExactly(0, 0, 0, 0);
    }

    @Test
    void everyReplyLineAcknowledgesExceptOneStartingWithErr() {
        assertThat(TcpFraming.acknowledges("OK 41")).isTrue();
        assertThat(TcpFraming.acknowledges("")).isTrue();
        assertThat(TcpFraming.acknowledges("ok, but ERR later")).isTrue();
        assertThat(TcpFraming.acknowledges("ERR")).isFalse();
        assertThat(TcpFraming.acknowledges("ERR disk full")).isFalse();
    }
}
