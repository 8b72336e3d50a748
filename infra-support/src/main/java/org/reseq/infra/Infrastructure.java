package org.reseq.infra;

import com.redis.testcontainers.RedisContainer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Finds the PostgreSQL and Redis that tests and the local stack use, once per JVM.
 *
 * <p>Order of preference: a server reachable at the configured address (environment
 * {@code RESEQ_POSTGRES_HOST}, {@code RESEQ_POSTGRES_PORT}, {@code RESEQ_POSTGRES_USER},
 * {@code RESEQ_POSTGRES_PASSWORD}, {@code RESEQ_REDIS_HOST}, {@code RESEQ_REDIS_PORT}; defaults
 * 127.0.0.1:5432 as {@code postgres}, 127.0.0.1:6379), then a Testcontainers container where a
 * Docker engine answers, then an embedded server. Each choice is logged, so a test run says
 * which it used. Servers this class starts stop when the JVM exits.
 */
public final class Infrastructure {

    private static final Logger log = LoggerFactory.getLogger(Infrastructure.class);

    private static PostgresServer postgres;
    private static RedisServerAddress redis;

    private Infrastructure() {
    }

    /** The PostgreSQL server to use, found or started on first call. */
    public static synchronized PostgresServer postgres() {
        if (postgres == null) {
            postgres = findOrStartPostgres();
            log.info("reseq infrastructure: {}", postgres);
            System.out.println("reseq infrastructure: " + postgres);
        }
        return postgres;
    }

    /** The Redis server to use, found or started on first call. */
    public static synchronized RedisServerAddress redis() {
        if (redis == null) {
            redis = findOrStartRedis();
            log.info("reseq infrastructure: {}", redis);
            System.out.println("reseq infrastructure: " + redis);
        }
        return redis;
    }

    private static PostgresServer findOrStartPostgres() {
        PostgresServer configured = new PostgresServer(
                env("RESEQ_POSTGRES_HOST", "127.0.0.1"),
                Integer.parseInt(env("RESEQ_POSTGRES_PORT", "5432")),
                env("RESEQ_POSTGRES_USER", "postgres"),
                env("RESEQ_POSTGRES_PASSWORD", ""),
                Source.REACHABLE);
        try (Connection ignored = configured.connect("postgres")) {
            return configured;
        } catch (Exception e) {
            log.info("No PostgreSQL at {}:{} ({})", configured.host(), configured.port(), e.getMessage());
        }
        if (dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer(DockerImageName.parse("postgres:15-alpine"));
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            return new PostgresServer(container.getHost(), container.getFirstMappedPort(),
                    container.getUsername(), container.getPassword(), Source.TESTCONTAINERS);
        }
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(embedded)));
            return new PostgresServer("127.0.0.1", embedded.getPort(), "postgres", "", Source.EMBEDDED);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start an embedded PostgreSQL", e);
        }
    }

    private static RedisServerAddress findOrStartRedis() {
        String host = env("RESEQ_REDIS_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("RESEQ_REDIS_PORT", "6379"));
        if (redisAnswers(host, port)) {
            return new RedisServerAddress(host, port, Source.REACHABLE);
        }
        log.info("No Redis at {}:{}", host, port);
        if (dockerAvailable()) {
            RedisContainer container = new RedisContainer(DockerImageName.parse("redis:7-alpine"));
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            return new RedisServerAddress(container.getRedisHost(), container.getRedisPort(), Source.TESTCONTAINERS);
        }
        try {
            int freePort = freePort();
            redis.embedded.RedisServer embedded = new redis.embedded.RedisServer(freePort);
            embedded.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.stop();
                } catch (IOException ignored) {
                    // the JVM is exiting; the child process dies with it
                }
            }));
            return new RedisServerAddress("127.0.0.1", freePort, Source.EMBEDDED);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start an embedded Redis", e);
        }
    }

    /** True when a Redis server at host:port answers PING. */
    public static boolean redisAnswers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // the JVM is exiting
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
