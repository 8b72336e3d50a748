package org.reseq.ingress.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.reseq.infra.TestCertificate;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** TLS of the TCP listeners as bundles configured through Spring Boot's own properties make it. */
class TcpTlsTests {

    private static final TestCertificate SERVER = TestCertificate.selfSigned("server", "dns:localhost");
    private static final TestCertificate SENDER = TestCertificate.selfSigned("sender");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class));

    @Test
    void withoutABundleTheListenersArePlainTcp() {
        withBundles(Map.of(), bundles -> assertThat(
                TcpTls.of(new TcpIngestProperties.Tls(null, TcpIngestProperties.ClientAuth.NONE), bundles).enabled())
                .isFalse());
    }

    @Test
    void anUnknownBundleStopsTheStartNamingTheSettingAndTheBundle() {
        withBundles(TestCertificate.jksBundle("ingest", SERVER), bundles ->
                assertThatThrownBy(() -> TcpTls.of(tls("missing", TcpIngestProperties.ClientAuth.NONE), bundles))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("reseq.ingest.tcp.tls.bundle")
                        .hasMessageContaining("'missing'")
                        .hasMessageContaining("spring.ssl.bundle.jks.missing"));
    }

    @Test
    void aBundleWithoutAKeyToPresentStopsTheStart() {
        withBundles(TestCertificate.jksBundle("trust-only", null, SENDER), bundles ->
                assertThatThrownBy(() -> TcpTls.of(tls("trust-only", TcpIngestProperties.ClientAuth.NONE), bundles))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("has no key store"));
    }

    @Test
    void eachConnectionGetsAServerEngineWithTheBundlesProtocolsAndCiphers() {
        Map<String, String> properties = new HashMap<>(TestCertificate.jksBundle("ingest", SERVER, SENDER));
        properties.put("spring.ssl.bundle.jks.ingest.options.enabled-protocols", "TLSv1.3");
        properties.put("spring.ssl.bundle.jks.ingest.options.ciphers", "TLS_AES_256_GCM_SHA384");
        withBundles(properties, bundles -> {
            SSLEngine engine = TcpTls.of(tls("ingest", TcpIngestProperties.ClientAuth.NONE), bundles).newEngine();

            assertThat(engine.getUseClientMode()).isFalse();
            assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3");
            assertThat(engine.getEnabledCipherSuites()).containsExactly("TLS_AES_256_GCM_SHA384");
            assertThat(engine.getNeedClientAuth()).isFalse();
            assertThat(engine.getWantClientAuth()).isFalse();
        });
    }

    @Test
    void clientAuthenticationIsAskedForAsConfigured() {
        withBundles(TestCertificate.jksBundle("ingest", SERVER, SENDER), bundles -> {
            SSLEngine wanting = TcpTls.of(tls("ingest", TcpIngestProperties.ClientAuth.WANT), bundles).newEngine();
            SSLEngine needing = TcpTls.of(tls("ingest", TcpIngestProperties.ClientAuth.NEED), bundles).newEngine();

            assertThat(wanting.getWantClientAuth()).isTrue();
            assertThat(wanting.getNeedClientAuth()).isFalse();
            assertThat(needing.getNeedClientAuth()).isTrue();
        });
    }

    private static TcpIngestProperties.Tls tls(String bundle, TcpIngestProperties.ClientAuth clientAuth) {
        return new TcpIngestProperties.Tls(bundle, clientAuth);
    }

    private void withBundles(Map<String, String> properties, Consumer<SslBundles> test) {
        runner.withPropertyValues(properties.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new))
                .run(context -> test.accept(context.getBean(SslBundles.class)));
    }
}
