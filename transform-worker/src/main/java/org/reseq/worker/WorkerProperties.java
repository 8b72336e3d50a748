package org.reseq.worker;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.InetAddress;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
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
public record WorkerProperties(@NotBlank String instanceId, @Valid Redis redis, @Valid Worker worker) {

    public WorkerProperties {
        instanceId = instanceId == null || instanceId.isBlank() ? defaultInstanceId() : instanceId;
        redis = redis == null ? new Redis(null) : redis;
        worker = worker == null ? new Worker(null, null, null, null, null) : worker;
    }

    /**
     * @param keyPrefix prepended to every Redis key and channel (default {@code reseq:})
     */
    public record Redis(@NotNull String keyPrefix) {
        public Redis {
            keyPrefix = keyPrefix == null ? "reseq:" : keyPrefix;
        }
    }

    /**
     * @param maxInFlight most work items this instance transforms at once (default 4000)
     * @param retry backoff between attempts of a chain
     * @param shutdownGrace how long shutdown waits for in-flight items before it leaves them
     *     pending in Redis (default 10 s)
     * @param claimIdle how long a work item may sit unacknowledged with another (presumably dead)
     *     worker before this one claims it (default 30 s, at least 1 s). Live workers keep the
     *     claims of the items they are running fresh every third of this, so it need not exceed
     *     any transform's duration.
     * @param claimInterval how often to look for such items (default 5 s)
     */
    public record Worker(
            @Min(1) @Max(100_000) Integer maxInFlight,
            @Valid Retry retry,
            @NotNull Duration shutdownGrace,
            @NotNull Duration claimIdle,
            @NotNull Duration claimInterval) {

        static final Duration MIN_CLAIM_IDLE = Duration.ofSeconds(1);

        public Worker {
            maxInFlight = maxInFlight == null ? 4000 : maxInFlight;
            retry = retry == null ? new Retry(null, null) : retry;
            shutdownGrace = shutdownGrace == null ? Duration.ofSeconds(10) : shutdownGrace;
            claimIdle = claimIdle == null ? Duration.ofSeconds(30) : claimIdle;
            claimInterval = claimInterval == null ? Duration.ofSeconds(5) : claimInterval;
        }

        @AssertTrue(message = "shutdown-grace must not be negative, claim-idle must be at least 1s and "
                + "claim-interval positive")
        public boolean isTimingValid() {
            // Claims are refreshed every claim-idle / 3: much less than a second would keep Redis busy for nothing.
            return !shutdownGrace.isNegative() && claimIdle.compareTo(MIN_CLAIM_IDLE) >= 0
                    && claimInterval.isPositive();
        }
    }

    /**
     * @param initialDelay the wait before the second attempt of a chain (default 100 ms); doubles
     *     after every further failure
     * @param maxDelay the longest wait between attempts (default 5 s)
     */
    public record Retry(@NotNull Duration initialDelay, @NotNull Duration maxDelay) {
        public Retry {
            initialDelay = initialDelay == null ? Duration.ofMillis(100) : initialDelay;
            maxDelay = maxDelay == null ? Duration.ofSeconds(5) : maxDelay;
        }

        @AssertTrue(message = "initial-delay must not be negative and not exceed max-delay")
        public boolean isDelaysValid() {
            return !initialDelay.isNegative() && maxDelay.compareTo(initialDelay) >= 0;
        }
    }

    private static String defaultInstanceId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "worker";
            }
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
