package org.reseq.model.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;
import org.reseq.infra.TestCertificate;
import org.reseq.model.guard.AddressList;
import org.reseq.model.guard.AddressResolver;
import org.reseq.model.guard.DestinationGuard;
import org.reseq.model.guard.DestinationRefusedException;
import org.reseq.model.guard.DestinationRules;
import org.reseq.model.guard.SuiteStores;

class BlockingHttpTests {

    private static final Duration DEADLINE = Duration.ofSeconds(10);
    /** Everything but the stores allowed, as with security off; these tests have no stores. */
    private static final DestinationGuard OPEN = guard(false, List.of(), AddressResolver.SYSTEM);

    @Test
    void onlyAnInterruptionEndsARequestTimeoutsAreRetried() {
        assertThat(BlockingHttp.interrupted(new InterruptedIOException("lease given up"))).isTrue();
        assertThat(BlockingHttp.interrupted(new SocketTimeoutException("no answer"))).isFalse();
        assertThat(BlockingHttp.interrupted(new ConnectTimeoutException("no connection"))).isFalse();
        assertThat(BlockingHttp.interrupted(new IOException("connection reset"))).isFalse();
    }

    @Test
    void requestsOnOneKeptAliveConnectionGetTheirAnswers() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<Integer> clientPorts = new CopyOnWriteArrayList<>();
        server.createContext("/", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            byte[] body = exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try (CloseableHttpClient client = BlockingHttp.newClient(OPEN)) {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/echo";

            String first = post(client, url, "one", Duration.ofSeconds(5));
            String second = post(client, url, "two", Duration.ofSeconds(5));

            assertThat(first).isEqualTo("one");
            assertThat(second).isEqualTo("two");
            assertThat(clientPorts).hasSize(2).containsOnly(clientPorts.getFirst());
        } finally {
            server.stop(0);
        }
    }

    /** Egress leaders run on platform threads: giving a lease up must still end a request at once. */
    @Test
    void anInterruptEndsARequestWaitingForItsAnswerOnAPlatformThread() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             CloseableHttpClient client = BlockingHttp.newClient(OPEN)) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // reads nothing, answers nothing
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            String url = "http://127.0.0.1:" + silent.getLocalPort() + "/never";
            CompletableFuture<Boolean> endedByInterrupt = new CompletableFuture<>();
            Thread leader = Thread.ofPlatform().start(() -> {
                try {
                    post(client, url, "waits", Duration.ofMinutes(10));
                    endedByInterrupt.complete(false);
                } catch (IOException e) {
                    endedByInterrupt.complete(BlockingHttp.interrupted(e));
                } catch (RuntimeException e) {
                    endedByInterrupt.completeExceptionally(e);
                }
            });
            await().atMost(DEADLINE).until(() -> accepted.size() == 1);

            leader.interrupt();

            assertThat(endedByInterrupt.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void aRefusedDestinationFailsTheRequestBeforeAnyConnectionIsOpened() throws Exception {
        DestinationGuard secured = guard(true, List.of(), AddressResolver.SYSTEM);
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             CloseableHttpClient client = BlockingHttp.newClient(secured)) {
            List<Socket> accepted = acceptAll(listening);

            assertThatThrownBy(() -> post(client, "http://127.0.0.1:" + listening.getLocalPort()
                    + "/in?token=abc", "never sent", Duration.ofSeconds(5)))
                    .isInstanceOf(DestinationRefusedException.class)
                    .hasMessage("refused by the destination guard: 127.0.0.1:" + listening.getLocalPort()
                            + " is a loopback address, refused while reseq.security.enabled is true unless"
                            + " reseq.security.destinations.allow names it");
            await().during(Duration.ofMillis(300)).atMost(DEADLINE).until(accepted::isEmpty);
        }
    }

    /** The addresses judged are those connected to: a name is never looked up a second time. */
    @Test
    void aNameIsJudgedOnTheAddressesItResolvesToWhenItConnects() throws Exception {
        Map<String, InetAddress> names = Map.of("sink.test", InetAddress.getLoopbackAddress(),
                "elsewhere.test", InetAddress.getLoopbackAddress());
        AddressResolver resolver = host -> {
            InetAddress address = names.get(host);
            if (address == null) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {address};
        };
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try (CloseableHttpClient client = BlockingHttp.newClient(guard(true, List.of("sink.test"), resolver))) {
            int port = server.getAddress().getPort();

            assertThat(post(client, "http://sink.test:" + port + "/echo", "let through", Duration.ofSeconds(5)))
                    .isEqualTo("let through");
            assertThatThrownBy(() -> post(client, "http://elsewhere.test:" + port + "/echo", "kept",
                    Duration.ofSeconds(5))).isInstanceOf(DestinationRefusedException.class)
                    .hasMessageContaining("elsewhere.test:" + port + " resolves to a loopback address");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void httpsIsVerifiedAgainstTheGivenTrustAndTheHostName() throws Exception {
        TestCertificate localhostOnly = TestCertificate.selfSigned("localhost-only", "dns:localhost");
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(TestCertificate.context(localhostOnly)));
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try (CloseableHttpClient trusting = BlockingHttp.newClient(OPEN, TestCertificate.context(null, localhostOnly),
                null, null);
             CloseableHttpClient jdkTrust = BlockingHttp.newClient(OPEN)) {
            int port = server.getAddress().getPort();

            assertThat(post(trusting, "https://localhost:" + port + "/echo", "verified", Duration.ofSeconds(5)))
                    .isEqualTo("verified");
            assertThatThrownBy(() -> post(trusting, "https://127.0.0.1:" + port + "/echo", "wrong name",
                    Duration.ofSeconds(5))).isInstanceOf(SSLException.class);
            assertThatThrownBy(() -> post(jdkTrust, "https://localhost:" + port + "/echo", "untrusted",
                    Duration.ofSeconds(5))).isInstanceOf(SSLHandshakeException.class);
        } finally {
            server.stop(0);
        }
    }

    private static List<Socket> acceptAll(ServerSocket server) {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    accepted.add(server.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        return accepted;
    }

    private static DestinationGuard guard(boolean securityEnabled, List<String> allow, AddressResolver resolver) {
        return new DestinationGuard(new DestinationRules(securityEnabled, AddressList.parse("allow", allow),
                AddressList.EMPTY, SuiteStores.NONE), resolver);
    }

    private static String post(CloseableHttpClient client, String url, String body, Duration responseTimeout)
            throws IOException {
        HttpPost post = new HttpPost(url);
        post.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(responseTimeout)).build());
        post.setEntity(new StringEntity(body));
        return client.execute(post, response -> EntityUtils.toString(response.getEntity()));
    }
}
