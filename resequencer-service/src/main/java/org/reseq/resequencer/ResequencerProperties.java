package org.reseq.resequencer;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.reseq.model.InstanceId;
import org.reseq.model.lease.LeaseTimings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The resequencer's settings ({@code reseq.*}).
 *
 * @param resequencer the dispatch window and timings
 * @param redis where the shared Redis keys live
 * @param instanceId names this instance as lease holder; defaults to host name and process id
 * @param leases how leases are renewed and taken over ({@code reseq.leases.*})
 */
@Validated
@ConfigurationProperties("reseq")
public record ResequencerProperties(
        @Valid @DefaultValue Resequencer resequencer,
        @Valid @DefaultValue Redis redis,
        String instanceId,
        @Valid @DefaultValue Leases leases) {

    public ResequencerProperties {
        instanceId = InstanceId.orDefault(instanceId);
    }

    /**
     * @param window the most deliveries dispatched past the delivered cursor: bounds what Redis
     *        holds; it must exceed arrival rate x the longest transform, or it throttles
     * @param windowBytes the most payload dispatched past the delivered cursor per destination
     *        (at most one 8 MiB dispatch chunk more): bounds what Redis holds of large messages
     * @param pollInterval how often a leader polls PostgreSQL and Redis while polls find news
     * @param idlePollInterval the longest wait between two polls: it doubles after every poll that
     *        finds nothing the signals had not told, up to this; news brings back pollInterval
     * @param leaseTick how often lease upkeep runs (heartbeat, balancing, reaping ended leaders)
     * @param liveness how recent another instance's heartbeat must be for it to count when the
     *        destinations are shared out; several lease ticks
     * @param headDeadline how long the head of a destination's line may wait for its result,
     *        beyond the destination's own transform budget, before it is dispatched again from
     *        PostgreSQL
     * @param cursorCommitInterval the shortest time between two commits of a leader's released
     *        cursor: a new leader releases at most this much again (zero: after every release)
     */
    public record Resequencer(
            @DefaultValue("4000") @Min(1) @Max(100_000) int window,
            @DefaultValue("64MB") @NotNull DataSize windowBytes,
            @DefaultValue("250ms") @NotNull @DurationMin(millis = 1) Duration pollInterval,
            @DefaultValue("2s") @NotNull @DurationMin(millis = 1) Duration idlePollInterval,
            @DefaultValue("1s") @NotNull @DurationMin(millis = 10) Duration leaseTick,
            @DefaultValue("5s") @NotNull @DurationMin(millis = 10) Duration liveness,
            @DefaultValue("30s") @NotNull @DurationMin(millis = 1) Duration headDeadline,
            @DefaultValue("100ms") @NotNull @DurationMin(millis = 0) Duration cursorCommitInterval) {

        public Resequencer {
            if (pollInterval != null && idlePollInterval != null && idlePollInterval.compareTo(pollInterval) < 0) {
                throw new IllegalArgumentException("reseq.resequencer.idle-poll-interval (" + idlePollInterval
                        + ") must not be below reseq.resequencer.poll-interval (" + pollInterval + ")");
            }
        }
    }

    /**
     * The same for every destination and for egress (see {@link LeaseTimings}).
     *
     * @param renewInterval how often this instance renews its leases
     * @param timeout how long a silent holder keeps its leases before another instance takes them
     *        over; at least three renewal intervals, and longer than the longest stop-the-world
     *        pause this JVM may take
     * @param jdbcUrl where the lease connections go (default: {@code spring.datasource.url}). The
     *        advisory locks live in a session, so this must reach PostgreSQL directly (or through
     *        a pooler in session mode) when the data source goes through PgBouncer in transaction
     *        mode; the data source's user and password are used
     */
    public record Leases(
            @DefaultValue("1s") @NotNull @DurationMin(millis = 10) Duration renewInterval,
            @DefaultValue("10s") @NotNull @DurationMin(millis = 30) Duration timeout,
            String jdbcUrl) {

        public Leases {
            if (renewInterval != null && timeout != null) {
                new LeaseTimings(renewInterval, timeout); // refuses an unsafe combination at start-up
            }
        }

        public LeaseTimings timings() {
            return new LeaseTimings(renewInterval, timeout);
        }

        /** The lease connections' URL: {@link #jdbcUrl} when set, else the data source's. */
        public String jdbcUrl(String dataSourceUrl) {
            return jdbcUrl == null || jdbcUrl.isBlank() ? dataSourceUrl : jdbcUrl;
        }
    }

    /** @param keyPrefix prepended to every Redis key and channel */
    public record Redis(@DefaultValue("reseq:") @NotNull String keyPrefix) {
    }
}
