package org.reseq.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PrivateRedisServerIntegrationTests {

    @Test
    void startsAgainEmptyOnTheSamePortAfterAStop() throws IOException {
        assumeTrue(PrivateRedisServer.unavailableReason().isEmpty(),
                () -> "skipped: " + PrivateRedisServer.unavailableReason().orElseThrow());
        try (PrivateRedisServer redis = PrivateRedisServer.launch()) {
            RedisServerAddress address = redis.address();
            assertThat(command(address, "SET kept 1")).isEqualTo("+OK");
            assertThat(command(address, "EXISTS kept")).isEqualTo(":1");

            redis.stop();
            assertThat(Infrastructure.redisAnswers(address.host(), address.port())).isFalse();
            redis.start();

            assertThat(command(address, "EXISTS kept")).isEqualTo(":0");
        }
    }

    /** One inline command, and the first line of its reply. */
    private static String command(RedisServerAddress address, String command) throws IOException {
        try (Socket socket = new Socket(address.host(), address.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\r' && c != -1; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        }
    }
}
