package org.reseq.egress;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.reseq.model.InstanceId;
import org.reseq.model.lease.LeaseTimings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The egress service's settings under {@code reseq.*}. Every value has a default that works on a
 * developer machine.
 *
 * @param egress delivery loop settings ({@code reseq.egress.*})
 * @param redis Redis key layout ({@code reseq.redis.*})
 * @param instanceId names this instance as lease holder; defaults to host name and process id
 * @param leases how leases are renewed and taken over ({@code reseq.leases.*})
 */
@Validated
@ConfigurationProperties("reseq")
public record EgressProperties(
        @Valid @NotNull @DefaultValue Egress egress,
        @Valid @NotNull @DefaultValue Redis redis,
        String instanceId,
        @Valid @NotNull @DefaultValue Leases leases) {

    public EgressProperties {
        instanceId = InstanceId.orDefault(instanceId);
    }

    /**
     * The same for every destination and for the resequencer (see {@link LeaseTimings}).
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

    /**
     * @param pollInterval how often a leader looks for work without a signal while such looks find
     *        what no signal had announced, and how often it reads its destination again while a
     *        delivery is retried
     * @param idlePollInterval the longest wait between two such looks: it doubles after every look
     *        that finds nothing new, up to this; also the longest a destination's configuration is
     *        used before it is read again (a change through the admin API is read at once)
     * @param leaseTick how often leases are checked, taken and given up
     * @param retry backoff between failed delivery attempts
     * @param gapTimeout how long a leader waits with nothing to deliver while the resequencer
     *        says it released more, before it asks the resequencer to release again from the
     *        delivered cursor (and again after each further such wait)
     * @param permanentFailureAttempts attempts, in a row, that a destination rejects permanently
     *        (HTTP 4xx other than 408 and 429) before its {@code onFailure} policy applies
     * @param cursorCommitInterval the shortest time between two commits of a leader's delivered
     *        cursor: after a crash, a new leader delivers at most this much again, with the same
     *        idempotency keys (zero: after every batch)
     * @param tls how TLS destinations are reached ({@code reseq.egress.tls.*})
     */
    public record Egress(
            @DefaultValue("250ms") @NotNull @DurationMin(millis = 1) Duration pollInterval,
            @DefaultValue("2s") @NotNull @DurationMin(millis = 1) Duration idlePollInterval,
            @DefaultValue("1s") @NotNull @DurationMin(millis = 1) Duration leaseTick,
            @Valid @NotNull @DefaultValue Retry retry,
            @DefaultValue("10s") @NotNull @DurationMin(millis = 1) Duration gapTimeout,
            @DefaultValue("3") @Positive int permanentFailureAttempts,
            @DefaultValue("100ms") @NotNull @DurationMin(millis = 0) Duration cursorCommitInterval,
            @Valid @NotNull @DefaultValue Tls tls) {

        @AssertTrue(message = "idle-poll-interval must not be below poll-interval")
        public boolean isIdlePollIntervalValid() {
            return idlePollInterval == null || pollInterval == null || idlePollInterval.compareTo(pollInterval) >= 0;
        }
    }

    /**
     * TLS to destinations: TCP ones with {@code tls: true} and {@code https} URLs.
     *
     * @param bundle the Spring Boot SSL bundle ({@code spring.ssl.bundle.*}) whose trust store
     *        verifies destinations and whose key store, if it has one, is the client certificate
     *        for mutual TLS; absent: the JDK's default trust anchors and no client certificate
     */
    public record Tls(String bundle) {

        public Tls {
            bundle = bundle == null || bundle.isBlank() ? null : bundle;
        }
    }

    /**
     * Capped exponential backoff for failed delivery attempts.
     *
     * @param initialDelay wait after the first failed attempt
     * @param multiplier growth of the wait after each further failure
     * @param maxDelay the longest wait between two attempts
     * @param maxAttempts attempts per message before giving up for now; unlimited by default
     */
    public record Retry(
            @DefaultValue("100ms") @NotNull @DurationMin(millis = 1) Duration initialDelay,
            @DefaultValue("2.0") @DecimalMin("1.0") double multiplier,
            @DefaultValue("30s") @NotNull @DurationMin(millis = 1) Duration maxDelay,
            @DefaultValue("9223372036854775807") @Positive long maxAttempts) {

        /** Retries after the first attempt: unlimited stays unlimited. */
        public long maxRetries() {
            return maxAttempts == Long.MAX_VALUE ? Long.MAX_VALUE : maxAttempts - 1;
        }
    }

    /** @param keyPrefix prepended to every Redis key and channel */
    public record Redis(@DefaultValue("reseq:") @NotNull String keyPrefix) {
    }
}
