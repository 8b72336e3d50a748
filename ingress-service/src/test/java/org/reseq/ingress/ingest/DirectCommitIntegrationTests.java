package org.reseq.ingress.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.reseq.ingress.commit.CommitPipeline;
import org.reseq.ingress.commit.DirectCommitter;
import org.reseq.ingress.support.HttpTester;
import org.reseq.ingress.support.HttpTester.Response;
import org.reseq.infra.TestInfrastructure;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With group commit off, every message has its own transaction; concurrent ones must not deadlock or leave holes. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "reseq.ingest.group-commit.enabled=false")
class DirectCommitIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("direct");

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CommitPipeline pipeline;

    @Test
    void concurrentTransactionsStillGiveDenseSequences() throws Exception {
        assertThat(pipeline).isInstanceOf(DirectCommitter.class);
        HttpTester http = new HttpTester(port);
        // Two channels cross two destinations in opposite route order: locks are still taken in name order.
        http.channel("forward", "dest-a", "dest-b");
        http.channel("backward", "dest-b", "dest-a");
        int posts = 60;
        List<Callable<Response>> senders = new ArrayList<>();
        for (int i = 0; i < posts; i++) {
            String channel = i % 2 == 0 ? "forward" : "backward";
            byte[] body = ("m" + i).getBytes(StandardCharsets.UTF_8);
            senders.add(() -> http.postMessage(channel, "text/plain", body, Map.of()));
        }
        List<Response> responses = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Response> response : threads.invokeAll(senders)) {
                responses.add(response.get());
            }
        }

        assertThat(responses).allSatisfy(response -> assertThat(response.status()).as(response.text()).isEqualTo(202));
        List<Long> dense = LongStream.rangeClosed(1, posts).boxed().toList();
        for (String destination : List.of("dest-a", "dest-b")) {
            assertThat(jdbc.sql("select sequence from delivery where destination = :d order by sequence")
                    .param("d", destination).query(Long.class).list()).containsExactlyElementsOf(dense);
        }
        assertThat(jdbc.sql("select message_id from delivery where destination = 'dest-a' order by sequence")
                .query(java.util.UUID.class).list())
                .containsExactlyElementsOf(jdbc.sql(
                        "select message_id from delivery where destination = 'dest-b' order by sequence")
                        .query(java.util.UUID.class).list());
    }
}
