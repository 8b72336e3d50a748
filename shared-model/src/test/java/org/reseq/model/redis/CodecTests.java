package org.reseq.model.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class CodecTests {

    @Property
    void workItemsSurviveARoundTrip(@ForAll String destination, @ForAll int incarnation, @ForAll long sequence,
                                    @ForAll String contentType, @ForAll byte[] payload, @ForAll String config,
                                    @ForAll long dispatchedAt) {
        WorkItem item = new WorkItem(destination, incarnation, sequence, UUID.randomUUID(), contentType, payload,
                config, dispatchedAt);

        WorkItem decoded = Codec.decodeWorkItem(Codec.encode(item));

        assertThat(decoded).usingRecursiveComparison().isEqualTo(item);
    }

    @Property
    void resultsSurviveARoundTrip(@ForAll long sequence, @ForAll boolean ok, @ForAll String contentType,
                                  @ForAll byte[] payload, @ForAll String error, @ForAll int attempts,
                                  @ForAll long completedAt) {
        TransformResult result = new TransformResult(sequence, UUID.randomUUID(), ok, contentType, payload, error,
                attempts, completedAt);

        TransformResult decoded = Codec.decodeResult(Codec.encode(result));

        assertThat(decoded).usingRecursiveComparison().isEqualTo(result);
    }

    @Test
    void truncatedValuesAreRejected() {
        byte[] encoded = Codec.encode(new TransformResult(7, UUID.randomUUID(), true, "text/plain",
                "hello".getBytes(StandardCharsets.UTF_8), "", 1, 0));

        assertThatThrownBy(() -> Codec.decodeResult(Arrays.copyOf(encoded, encoded.length - 3)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWorkItemIsNotReadAsAResult() {
        byte[] encoded = Codec.encode(new WorkItem("d", 3, 1, UUID.randomUUID(), "t", new byte[0], "{}", 0));
        encoded[0] = 9;

        assertThatThrownBy(() -> Codec.decodeWorkItem(encoded)).hasMessageContaining("Unknown format");
    }
}
