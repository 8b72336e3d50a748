package org.reseq.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * A Redis server of one test's own, which the test may stop and start again, empty, on the same
 * port: the shared server must never be stopped or flushed. It is the embedded build (Redis 6.2),
 * so it also shows that the worker's scripts work on the oldest Redis the suite may fall back to.
 * Nothing is kept on disk.
 */
public final class PrivateRedis implements AutoCloseable {

    private final int port;
    private final Path dir;
    private RedisServer server;

    private PrivateRedis(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    /** Starts a server on a free port. */
    public static PrivateRedis start() {
        try {
            PrivateRedis redis = new PrivateRedis(freePort(), Files.createTempDirectory("reseq-private-redis"));
            redis.startAgain();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://" + host() + ":" + port;
    }

    /** Stops the server; everything it held is gone. */
    public synchronized void stop() {
        if (server != null) {
            try {
                server.stop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = null;
        }
    }

    /** Starts an empty server on the same port. */
    public synchronized void startAgain() {
        try {
            server = RedisServer.newRedisServer()
                    .port(port)
                    .bind(host())
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .setting("dir " + dir)
                    .build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a left-over empty directory in the temp folder is harmless
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
