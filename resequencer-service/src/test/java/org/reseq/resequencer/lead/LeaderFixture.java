package org.reseq.resequencer.lead;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.reseq.infra.MutableClock;
import org.reseq.model.leader.Mailboxes;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseRole;
import org.reseq.model.lease.LeaseTerm;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.TransformResult;
import org.reseq.model.redis.WorkItem;
import org.reseq.resequencer.dispatch.Dispatcher;
import org.reseq.resequencer.fake.CursorsWithOutage;
import org.reseq.resequencer.fake.InMemoryPipeline;
import org.reseq.model.tracing.MessageTracing;

/**
 * A leader's surroundings in memory, for the tests of its steps one by one: the stores, a context
 * on a mutable clock, a lease whose term runs on a mutable monotonic clock, and the
 * {@link LedDestination} the steps share. Used from the test's thread only.
 */
final class LeaderFixture {

    static final String DESTINATION = "orders";
    /** The incarnation the fixture's leases lead (destination id 1). */
    static final Incarnation INCARNATION = new Incarnation(DESTINATION, 1);
    static final Duration VALIDITY = Duration.ofSeconds(8);
    static final Duration HEAD_DEADLINE = Duration.ofMinutes(1);
    /** The fixture's byte budget of the dispatch window: a few large payloads. */
    static final long WINDOW_BYTES = 3L * 1024 * 1024;
    /** How long the head of the fixture's destination waits: the slack plus its 1 ms transform budget. */
    static final Duration HEAD_WAIT = HEAD_DEADLINE.plusMillis(1);

    final InMemoryPipeline pipeline = new InMemoryPipeline();
    final CursorsWithOutage cursors = new CursorsWithOutage(pipeline.cursors);
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    /** The monotonic clock of the lease's term. */
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final LeaderContext context;
    final LedDestination led = new LedDestination(DESTINATION);

    LeaderFixture() {
        this(100);
    }

    /** @param window the most deliveries dispatched past the delivered cursor */
    LeaderFixture(int window) {
        context = new LeaderContext(new Dispatcher(pipeline, pipeline, pipeline.results, clock, MessageTracing.NOOP),
                pipeline.results, cursors,
                new Mailboxes<>(), pipeline, pipeline, new ResequencerMetrics(meters), window, WINDOW_BYTES, Duration.ofMillis(5),
                Duration.ofMillis(20), HEAD_DEADLINE, Duration.ZERO, clock);
        pipeline.destination(DESTINATION, config("BLOCK", 100));
    }

    /** A configuration whose transforms take at most 1 ms: the head deadline is about the slack alone. */
    static String config(String onFailure, int maxBatch) {
        return """
                {"type":"HTTP","url":"http://127.0.0.1:9/in","maxBatch":%d,"onFailure":"%s",\
                "transformTimeoutMs":1,"transformAttempts":1,"transforms":[{"type":"delay","minMs":1,"maxMs":1}]}"""
                .formatted(maxBatch, onFailure);
    }

    /** A configuration without transforms: its deliveries need no worker. */
    static String withoutTransforms() {
        return """
                {"type":"HTTP","url":"http://127.0.0.1:9/in","maxBatch":100,"onFailure":"BLOCK"}""";
    }

    /** Starts the shared state under a lease of {@code epoch} that took over at {@code position}. */
    LeaderFixture begin(long epoch, long position) {
        LeaseTerm term = new LeaseTerm(VALIDITY, nanos::get);
        term.renewed(term.now());
        led.begin(new Lease(DESTINATION, 1, LeaseRole.RESEQUENCER, epoch, position, term));
        context.metrics().leading(DESTINATION, position);
        return this;
    }

    /** What a poll would have learned: the deliveries ingested so far and the stored configuration. */
    void progressKnown() {
        led.ingestedUpTo(pipeline.progress(DESTINATION).orElseThrow().lastSequence());
        led.settings().configure(pipeline.progress(DESTINATION).orElseThrow().configJson());
    }

    /** A worker finished {@code sequences} and the leader took their done signals. */
    void finished(boolean ok, long... sequences) {
        for (long sequence : sequences) {
            pipeline.results.finished(DESTINATION, result(sequence, ok));
            led.line().finished(sequence, ok);
        }
    }

    /** The sequences released to the out stream, in release order. */
    List<Long> released() {
        return pipeline.results.out(DESTINATION).stream().map(TransformResult::sequence).toList();
    }

    /** The sequences dispatched to the work stream, oldest first. */
    List<Long> dispatched() {
        return pipeline.work().stream().map(WorkItem::sequence).toList();
    }

    long cursor(LeaseRole role) {
        return pipeline.cursors.position(DESTINATION, role);
    }

    double count(String meter, String... tags) {
        Counter counter = meters.find(meter).tag("destination", DESTINATION).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    double gauge(String meter) {
        Gauge gauge = meters.find(meter).tag("destination", DESTINATION).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    static TransformResult result(long sequence, boolean ok) {
        return new TransformResult(sequence, UUID.nameUUIDFromBytes((DESTINATION + sequence).getBytes()), ok,
                "text/plain", ok ? ("t-" + sequence).getBytes(StandardCharsets.UTF_8) : new byte[0],
                ok ? "" : "always fails", 3, 0);
    }
}
