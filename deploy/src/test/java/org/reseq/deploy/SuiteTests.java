package org.reseq.deploy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SuiteTests {

    @Test
    void refusesToStartWhileSomethingElseListensOnAPort() throws IOException {
        try (ServerSocket stray = new ServerSocket(0)) {
            Map<ServiceKind, Integer> ports = new EnumMap<>(ServiceKind.class);
            for (ServiceKind kind : ServiceKind.values()) {
                ports.put(kind, stray.getLocalPort());
            }
            SuiteSettings settings = new SuiteSettings(Path.of("."), "jdbc:postgresql://127.0.0.1:1/none", "none", "",
                    "redis://127.0.0.1:1", "none:", 1, ports, Path.of("."), Map.of(),
                    SuiteSettings::defaultJavaOptions);

            assertThatThrownBy(() -> Suite.start(settings, Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Port " + stray.getLocalPort() + " for ingress-service is in use");
        }
    }
}
