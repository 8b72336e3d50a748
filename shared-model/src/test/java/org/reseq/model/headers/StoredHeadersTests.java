package org.reseq.model.headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoredHeadersTests {

    @Test
    void headersSurviveARoundTripInOrder() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Tenant", "acme");
        headers.put("X-Correlation-Id", "c \"1\"");
        headers.put("A", "");

        String json = StoredHeaders.write(headers);

        assertThat(json).startsWith("[[\"X-Tenant\"");
        assertThat(StoredHeaders.read(json)).containsExactly(Map.entry("X-Tenant", "acme"),
                Map.entry("X-Correlation-Id", "c \"1\""), Map.entry("A", ""));
    }

    @Test
    void noHeadersAndTheColumnsOldDefaultReadAsEmpty() {
        assertThat(StoredHeaders.write(Map.of())).isEqualTo(StoredHeaders.NONE);
        assertThat(StoredHeaders.read(StoredHeaders.NONE)).isEmpty();
        assertThat(StoredHeaders.read("{}")).isEmpty();
        assertThat(StoredHeaders.read(null)).isEmpty();
        assertThat(StoredHeaders.read("{\"X-A\": \"1\"}")).containsExactly(Map.entry("X-A", "1"));
    }

    @Test
    void somethingElseIsRefused() {
        assertThatThrownBy(() -> StoredHeaders.read("[[\"X-A\"]]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StoredHeaders.read("42")).isInstanceOf(IllegalArgumentException.class);
    }
}
