package org.reseq.ingress.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.infra.TestCertificate;
import org.reseq.infra.TestInfrastructure;
import org.reseq.ingress.support.HttpTester;
import org.reseq.ingress.support.HttpTester.Response;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Ingest over TLS, both ways in: HTTPS through Spring Boot's {@code server.ssl.bundle}, and the
 * TCP listener through {@code reseq.ingest.tcp.tls.*} with mutual TLS, so that only a sender
 * presenting a certificate the listener's bundle trusts is served. The certificates are made
 * when the class starts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.ssl.bundle=web",
        "reseq.ingest.tcp.tls.bundle=tcp",
        "reseq.ingest.tcp.tls.client-auth=NEED",
        "reseq.ingest.tcp.listeners[0].channel=secure",
        "reseq.ingest.tcp.listeners[0].port=0",
        "reseq.ingest.tcp.listeners[0].framing=LINE",
        "spring.datasource.hikari.maximum-pool-size=4"})
// The PostgreSQL server is shared: give its connections (and the listener's port) back after the class.
@DirtiesContext
class TlsIngestIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("tls-ingest");
    private static final TestCertificate SERVER = TestCertificate.selfSigned("ingress", "dns:localhost",
            "ip:127.0.0.1");
    private static final TestCertificate SENDER = TestCertificate.selfSigned("sender");
    private static final TestCertificate STRANGER = TestCertificate.selfSigned("stranger");
    private static final int TIMEOUT_MS = 30_000;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
        Map<String, String> bundles = new LinkedHashMap<>();
        bundles.putAll(TestCertificate.jksBundle("web", SERVER));
        bundles.putAll(TestCertificate.jksBundle("tcp", SERVER, SENDER));
        bundles.forEach((name, value) -> registry.add(name, () -> value));
    }

    @LocalServerPort
    int httpsPort;

    @Autowired
    TcpIngestServer server;

    @Autowired
    JdbcClient jdbc;

    private HttpTester https;

    @BeforeEach
    void client() {
        https = HttpTester.https(httpsPort, TestCertificate.context(null, SERVER));
    }

    @Test
    void aMessageOverHttpsAndOneOverTheTlsListenerAreAcknowledgedAndStoredInOrder() throws Exception {
        https.channel("secure", "secure-sink");

        Response posted = https.postMessage("secure", "text/plain; charset=utf-8",
                "over https".getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(posted.status()).as(posted.text()).isEqualTo(202);
        Optional<String> reply = firstReply(tlsSocket(TestCertificate.context(SENDER, SERVER)), "over tls");

        assertThat(reply).hasValueSatisfying(line -> assertThat(line).startsWith("OK "));
        UUID tcpId = UUID.fromString(reply.orElseThrow().substring(3));
        UUID httpsId = UUID.fromString(posted.json().path("messageId").asString());
        List<Map<String, Object>> stored = jdbc.sql("""
                        select d.sequence, m.id, m.payload
                          from delivery d join message m on m.id = d.message_id
                         where d.destination = 'secure-sink' order by d.sequence""")
                .query().listOfRows();
        assertThat(stored).extracting(row -> row.get("sequence")).containsExactly(1L, 2L);
        assertThat(stored).extracting(row -> row.get("id")).containsExactly(httpsId, tcpId);
        assertThat(stored).extracting(row -> new String((byte[]) row.get("payload"), StandardCharsets.UTF_8))
                .containsExactly("over https", "over tls");
    }

    @Test
    void aPlainTcpSenderIsNeitherAnsweredNorStored() throws Exception {
        https.channel("secure", "secure-sink");
        long before = messages();

        Optional<String> reply = firstReply(new Socket("127.0.0.1", port()), "in the clear");

        assertThat(reply).isEmpty();
        assertThat(messages()).isEqualTo(before);
    }

    @Test
    void aTlsSenderWithoutACertificateIsRefused() throws Exception {
        https.channel("secure", "secure-sink");
        long before = messages();

        Optional<String> reply = firstReply(tlsSocket(TestCertificate.context(null, SERVER)), "anonymous");

        assertThat(reply).isEmpty();
        assertThat(messages()).isEqualTo(before);
    }

    @Test
    void aTlsSenderWithACertificateTheListenerDoesNotTrustIsRefused() throws Exception {
        https.channel("secure", "secure-sink");
        long before = messages();

        Optional<String> reply = firstReply(tlsSocket(TestCertificate.context(STRANGER, SERVER)), "stranger");

        assertThat(reply).isEmpty();
        assertThat(messages()).isEqualTo(before);
    }

    /** A TLS connection to the listener that verifies the listener's certificate and host name. */
    private Socket tlsSocket(SSLContext context) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port());
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        return socket;
    }

    /**
     * Sends one line and reads the answer; empty when the listener closed the connection or the
     * handshake failed instead (with TLS 1.3 the client may learn of a refused certificate only
     * when it reads).
     */
    private static Optional<String> firstReply(Socket socket, String line) {
        try (socket) {
            socket.setSoTimeout(TIMEOUT_MS);
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            return Optional.ofNullable(in.readLine());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private int port() {
        return server.boundPorts().get(0);
    }

    private long messages() {
        return jdbc.sql("select count(*) from message where channel = 'secure'").query(Long.class).single();
    }
}
