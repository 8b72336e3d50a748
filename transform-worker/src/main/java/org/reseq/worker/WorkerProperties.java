package org.reseq.worker;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.reseq.model.InstanceId;
import org.reseq.worker.transform.JsonataLimits;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The worker's settings under {@code reseq.*}; every value has a default that works on a
 * developer machine.
 *
 * @param instanceId this instance's consumer name in the worker group (default: host name and pid)
 * @param redis where the shared Redis keys live
 * @param worker how the worker consumes and retries
 */
@Validated
@ConfigurationProperties("reseq")
public record WorkerProperties(
        String instanceId,
        @Valid @NotNull @DefaultValue Redis redis,
        @Valid @NotNull @DefaultValue Worker worker) {

    public WorkerProperties {
        instanceId = InstanceId.orDefault(instanceId);
    }

    /**
     * @param keyPrefix prepended to every Redis key and channel (default {@code reseq:})
     */
    public record Redis(@DefaultValue("reseq:") @NotNull String keyPrefix) {
    }

    /**
     * @param maxInFlight most work items this instance transforms at once (default 4000)
     * @param maxShare the largest fraction of {@code maxInFlight} one destination may use, above 0
     *     and at most 1 (default 1: no cap). Whatever it says, a destination gets at most an even
     *     split of the slots among the destinations with work at this instance.
     * @param maxHeld most work items read ahead and held, beyond those running, until their
     *     destination's share has room (default 4000, the resequencer's default window: enough to
     *     read past one destination's whole window to the others' work). Held items are not
     *     available to other workers, so a larger value finds more work behind a flood but may
     *     leave more waiting here while another worker has free slots.
     * @param maxInFlightBytes budget of the held and running items' encoded sizes (default 64 MB):
     *     reading pauses while it is used up, though one item larger than it still runs
     * @param maxResultBytes the largest answer an {@code http} transform may give (default 1 MB,
     *     the ingest payload limit's default); a larger one fails the item without retries
     * @param retry backoff between attempts of a chain
     * @param shutdownGrace how long shutdown waits for in-flight items before it leaves them
     *     pending in Redis (default 10 s)
     * @param claimIdle how long a work item may sit unacknowledged with another (presumably dead)
     *     worker before this one claims it (default 30 s, at least 1 s). Live workers keep the
     *     claims of the items they are running fresh every third of this, so it need not exceed
     *     any transform's duration.
     * @param claimInterval how often to look for such items (default 5 s)
     * @param forgetConsumerIdle how long another consumer of the worker group must have been idle,
     *     with no pending entries, before this worker removes it from the group (default 1 h; more
     *     than {@code claimIdle}). Each worker process is a consumer of its own name, so without
     *     this every restart would leave one behind for good. A consumer with pending entries is
     *     kept until they are claimed, so no work is lost; checked after every claim pass.
     * @param jsonata bounds on each evaluation of a {@code jsonata} transform
     * @param pluginDir a directory of plugin jars, each with the transform factories it lists in
     *     {@code META-INF/services/org.reseq.transform.TransformFactory} (default: none). Read once
     *     at start; a jar that cannot be loaded stops the start and says why.
     */
    public record Worker(
            @DefaultValue("4000") @Min(1) @Max(100_000) int maxInFlight,
            @DefaultValue("1")
            @DecimalMin(value = "0", inclusive = false, message = "must be above 0: a fraction of max-in-flight")
            @DecimalMax(value = "1", message = "must be at most 1: a fraction of max-in-flight") double maxShare,
            @DefaultValue("4000") @Min(0) @Max(1_000_000) int maxHeld,
            @DefaultValue("64MB") @NotNull DataSize maxInFlightBytes,
            @DefaultValue("1MB") @NotNull DataSize maxResultBytes,
            @Valid @NotNull @DefaultValue Retry retry,
            @DefaultValue("10s") @NotNull Duration shutdownGrace,
            @DefaultValue("30s") @NotNull Duration claimIdle,
            @DefaultValue("5s") @NotNull Duration claimInterval,
            @DefaultValue("1h") @NotNull Duration forgetConsumerIdle,
            @Valid @NotNull @DefaultValue Jsonata jsonata,
            Path pluginDir) {

        static final Duration MIN_CLAIM_IDLE = Duration.ofSeconds(1);
        /** A transform's answer is read into one array. */
        static final DataSize MAX_RESULT_LIMIT = DataSize.ofMegabytes(256);

        @AssertTrue(message = "shutdown-grace must not be negative, claim-idle must be at least 1s and "
                + "claim-interval positive")
        public boolean isTimingValid() {
            // Claims are refreshed every claim-idle / 3: much less than a second would keep Redis busy for nothing.
            return !shutdownGrace.isNegative() && claimIdle.compareTo(MIN_CLAIM_IDLE) >= 0
                    && claimInterval.isPositive();
        }

        @AssertTrue(message = "forget-consumer-idle must be greater than claim-idle: a gone worker's pending "
                + "work is claimed before its consumer is removed")
        public boolean isForgetConsumerIdleValid() {
            return forgetConsumerIdle.compareTo(claimIdle) > 0;
        }

        @AssertTrue(message = "max-in-flight-bytes must be positive")
        public boolean isMaxInFlightBytesValid() {
            return maxInFlightBytes.toBytes() > 0;
        }

        @AssertTrue(message = "max-result-bytes must be between 1B and 256MB")
        public boolean isMaxResultBytesValid() {
            return maxResultBytes.toBytes() >= 1 && maxResultBytes.compareTo(MAX_RESULT_LIMIT) <= 0;
        }
    }

    /**
     * @param initialDelay the wait before the second attempt of a chain (default 100 ms); doubles
     *     after every further failure
     * @param maxDelay the longest wait between attempts (default 5 s)
     */
    public record Retry(
            @DefaultValue("100ms") @NotNull Duration initialDelay,
            @DefaultValue("5s") @NotNull Duration maxDelay) {

        @AssertTrue(message = "initial-delay must not be negative and not exceed max-delay")
        public boolean isDelaysValid() {
            return !initialDelay.isNegative() && maxDelay.compareTo(initialDelay) >= 0;
        }
    }

    /**
     * @param timeout longest time one evaluation may take (default 1 s); it is plain computation,
     *     which the chain's timeout abandons but cannot stop, so this is what frees the core
     * @param maxDepth deepest nesting of evaluation steps, which bounds recursion (default 200)
     */
    public record Jsonata(
            @DefaultValue("1s") @NotNull Duration timeout,
            @DefaultValue("200") @Min(1) @Max(10_000) int maxDepth) {

        @AssertTrue(message = "timeout must be positive")
        public boolean isTimeoutValid() {
            return timeout.isPositive();
        }

        /** These settings as the transform core takes them. */
        public JsonataLimits limits() {
            return new JsonataLimits(timeout, maxDepth);
        }
    }
}
