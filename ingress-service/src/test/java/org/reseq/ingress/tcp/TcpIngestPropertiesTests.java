package org.reseq.ingress.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class TcpIngestPropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(PropertiesOnly.class);

    @Test
    void noListenerByDefault() {
        runner.run(context -> {
            TcpIngestProperties properties = context.getBean(TcpIngestProperties.class);
            assertThat(properties.listeners()).isEmpty();
            assertThat(properties.maxPendingReplies()).isEqualTo(1000);
            assertThat(properties.handlerThreads()).isEqualTo(64);
            assertThat(properties.tls().enabled()).isFalse();
            assertThat(properties.tls().clientAuth()).isEqualTo(TcpIngestProperties.ClientAuth.NONE);
        });
    }

    @Test
    void listenersBindWithLoopbackAndLineFramingAsDefaults() {
        runner.withPropertyValues("reseq.ingest.tcp.listeners[0].channel=orders",
                        "reseq.ingest.tcp.listeners[0].port=9100",
                        "reseq.ingest.tcp.listeners[1].channel=images", "reseq.ingest.tcp.listeners[1].port=9101",
                        "reseq.ingest.tcp.listeners[1].framing=LENGTH_PREFIXED",
                        "reseq.ingest.tcp.listeners[1].host=0.0.0.0", "reseq.ingest.tcp.max-pending-replies=10")
                .run(context -> {
                    TcpIngestProperties properties = context.getBean(TcpIngestProperties.class);
                    assertThat(properties.listeners()).containsExactly(
                            new TcpIngestProperties.Listener("orders", 9100, Framing.LINE, "127.0.0.1"),
                            new TcpIngestProperties.Listener("images", 9101, Framing.LENGTH_PREFIXED, "0.0.0.0"));
                    assertThat(properties.maxPendingReplies()).isEqualTo(10);
                });
    }

    @Test
    void tlsBindsABundleNameAndClientAuthentication() {
        runner.withPropertyValues("reseq.ingest.tcp.tls.bundle=ingest", "reseq.ingest.tcp.tls.client-auth=need")
                .run(context -> {
                    TcpIngestProperties.Tls tls = context.getBean(TcpIngestProperties.class).tls();
                    assertThat(tls.enabled()).isTrue();
                    assertThat(tls.bundle()).isEqualTo("ingest");
                    assertThat(tls.clientAuth()).isEqualTo(TcpIngestProperties.ClientAuth.NEED);
                });
    }

    @Test
    void invalidListenersStopTheStart() {
        runner.withPropertyValues("reseq.ingest.tcp.listeners[0].channel=Not Valid",
                        "reseq.ingest.tcp.listeners[0].port=9100")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("channel"));
        runner.withPropertyValues("reseq.ingest.tcp.listeners[0].channel=orders")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("port"));
        runner.withPropertyValues("reseq.ingest.tcp.listeners[0].channel=orders",
                        "reseq.ingest.tcp.listeners[0].port=70000")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("port"));
        runner.withPropertyValues("reseq.ingest.tcp.max-pending-replies=0")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("maxPendingReplies"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(TcpIngestProperties.class)
    static class PropertiesOnly {
    }
}
