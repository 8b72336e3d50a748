package org.reseq.ingress;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.reseq.model.InstanceId;
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
 * @param retention how long what is stored is kept ({@code reseq.retention.*})
 */
@ConfigurationProperties("reseq")
@Validated
public record IngressProperties(
        String instanceId,
        @Valid @NotNull @DefaultValue Ingest ingest,
        @Valid @NotNull @DefaultValue Redis redis,
        @Valid @NotNull @DefaultValue Retention retention) {

    public IngressProperties {
        instanceId = InstanceId.orDefault(instanceId);
    }

    /**
     * @param maxPayloadSize the largest message body accepted (larger ones get 413)
     * @param groupCommit how concurrent messages share one transaction
     * @param backpressure how ingest learns that a destination's backlog is over its limit
     * @param idempotency how long idempotency keys are kept
     * @param maxBatchItems most messages in one batch request (more get 400)
     * @param maxBatchSize the largest batch request body accepted (larger ones get 413); each
     *        message in it is held to {@code maxPayloadSize} as well
     */
    public record Ingest(
            @NotNull @DefaultValue("1MB") DataSize maxPayloadSize,
            @Valid @NotNull @DefaultValue GroupCommit groupCommit,
            @Valid @NotNull @DefaultValue Backpressure backpressure,
            @Valid @NotNull @DefaultValue Idempotency idempotency,
            @Min(1) @Max(100_000) @DefaultValue("1000") int maxBatchItems,
            @NotNull @DefaultValue("16MB") DataSize maxBatchSize) {

        /** The batch body is read into one array too. */
        @AssertTrue(message = "must be between 1B and 256MB")
        public boolean isMaxBatchSizeInRange() {
            return maxBatchSize == null
                    || (maxBatchSize.toBytes() >= 1 && maxBatchSize.toBytes() <= DataSize.ofMegabytes(256).toBytes());
        }

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

    /**
     * @param refresh how long a channel's backlogs and limits are cached before they are read
     *                again (0: read on every message)
     */
    public record Backpressure(@NotNull @DefaultValue("200ms") Duration refresh) {

        @AssertTrue(message = "must be between 0 and 1m")
        public boolean isRefreshInRange() {
            return refresh == null || (!refresh.isNegative() && refresh.compareTo(Duration.ofMinutes(1)) <= 0);
        }
    }

    /**
     * @param retention how long a message's idempotency key is kept; afterwards the key may be
     *                  used again for a new message
     * @param cleanupInterval how often expired keys are removed
     * @param cleanupBatch most keys removed in one transaction
     */
    public record Idempotency(
            @NotNull @DefaultValue("24h") Duration retention,
            @NotNull @DefaultValue("1m") Duration cleanupInterval,
            @Min(1) @Max(100_000) @DefaultValue("1000") int cleanupBatch) {

        @AssertTrue(message = "must be at least 1s")
        public boolean isRetentionInRange() {
            return retention == null || retention.compareTo(Duration.ofSeconds(1)) >= 0;
        }

        @AssertTrue(message = "must be between 10ms and 1h")
        public boolean isCleanupIntervalInRange() {
            return cleanupInterval == null || (cleanupInterval.compareTo(Duration.ofMillis(10)) >= 0
                    && cleanupInterval.compareTo(Duration.ofHours(1)) <= 0);
        }
    }

    /**
     * What the retention job removes, and when. Undelivered messages and unresolved dead letters
     * are never removed, however old.
     *
     * @param delivered how long a message delivered to every destination of its channel (or whose
     *        destinations are all gone) is kept after its last delivery
     * @param deadLetters how long a dead letter is kept after it was redelivered or skipped
     * @param operatorActions how long operator actions and lease take-overs are kept
     * @param interval how often the retention job runs
     * @param batch the most rows one short transaction removes
     */
    public record Retention(
            @NotNull @DefaultValue("7d") Duration delivered,
            @NotNull @DefaultValue("30d") Duration deadLetters,
            @NotNull @DefaultValue("90d") Duration operatorActions,
            @NotNull @DefaultValue("1m") Duration interval,
            @Min(1) @Max(100_000) @DefaultValue("1000") int batch) {

        @AssertTrue(message = "must be at least 1s")
        public boolean isDeliveredInRange() {
            return delivered == null || delivered.compareTo(Duration.ofSeconds(1)) >= 0;
        }

        @AssertTrue(message = "must be between 100ms and 1h")
        public boolean isIntervalInRange() {
            return interval == null
                    || (interval.compareTo(Duration.ofMillis(100)) >= 0 && interval.compareTo(Duration.ofHours(1)) <= 0);
        }
    }

    /** @param keyPrefix prepended to every Redis key and pub/sub channel (may be empty) */
    public record Redis(@NotNull @DefaultValue("reseq:") String keyPrefix) {
    }
}
