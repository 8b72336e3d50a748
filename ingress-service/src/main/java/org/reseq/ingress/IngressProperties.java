package org.reseq.ingress;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The ingress service's settings under {@code reseq.*}.
 *
 * @param instanceId names this instance in logs and metrics (default: host name and pid)
 * @param ingest how messages are accepted and committed
 * @param redis where the shared Redis keys live
 */
@ConfigurationProperties("reseq")
@Validated
public record IngressProperties(
        String instanceId,
        @Valid @NotNull @DefaultValue Ingest ingest,
        @Valid @NotNull @DefaultValue Redis redis) {

    public IngressProperties {
        if (instanceId == null || instanceId.isBlank()) {
            instanceId = defaultInstanceId();
        }
    }

    /**
     * @param maxPayloadSize the largest message body accepted (larger ones get 413)
     * @param groupCommit how concurrent messages share one transaction
     */
    public record Ingest(
            @NotNull @DefaultValue("1MB") DataSize maxPayloadSize,
            @Valid @NotNull @DefaultValue GroupCommit groupCommit) {

        /** The body is read into one array, so the limit must fit one (and stay sane). */
        @AssertTrue(message = "must be between 1B and 256MB")
        public boolean isMaxPayloadSizeInRange() {
            return maxPayloadSize == null
                    || (maxPayloadSize.toBytes() >= 1 && maxPayloadSize.toBytes() <= DataSize.ofMegabytes(256).toBytes());
        }
    }

    /**
     * @param enabled false commits every message in its own transaction on the request thread
     *                (a baseline for benchmarks)
     * @param maxBatch most messages in one transaction
     * @param linger longest wait for more messages once a batch has more than one
     */
    public record GroupCommit(
            @DefaultValue("true") boolean enabled,
            @Min(1) @Max(10_000) @DefaultValue("256") int maxBatch,
            @NotNull @DefaultValue("2ms") Duration linger) {

        @AssertTrue(message = "must be between 0 and 1s")
        public boolean isLingerInRange() {
            return linger == null || (!linger.isNegative() && linger.compareTo(Duration.ofSeconds(1)) <= 0);
        }
    }

    /** @param keyPrefix prepended to every Redis key and pub/sub channel (may be empty) */
    public record Redis(@NotNull @DefaultValue("reseq:") String keyPrefix) {
    }

    private static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
