package org.reseq.bench.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.reseq.bench.measure.DeliveryTimeline;
import org.reseq.bench.send.AckListener;
import org.reseq.bench.send.Assignment;
import org.reseq.bench.send.SendPlan;
import org.reseq.bench.send.Sender;
import org.reseq.bench.sink.Reception;
import org.reseq.bench.sink.SinkServer;
import org.reseq.bench.stack.Provisioned;
import org.reseq.bench.stack.ResourceFigures;
import org.reseq.bench.stack.ResourceProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link RunPlan} against the stack: creates the run's destinations and channels, sends
 * the workload, waits until every destination received everything (or nothing moved for the
 * stall time), and removes the run's destinations and channels again, also when it fails.
 */
final class ReseqRun {

    private static final Logger log = LoggerFactory.getLogger(ReseqRun.class);
    private static final Duration SAMPLE_INTERVAL = Duration.ofMillis(500);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long PROGRESS_LOG_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final BenchContext context;
    private final RunPlan plan;

    ReseqRun(BenchContext context, RunPlan plan) {
        this.context = context;
        this.plan = plan;
    }

    Measurement execute() throws Exception {
        SinkServer sink = context.sink();
        Reception reception = new Reception(plan.topology().expected(plan.workload().messages()));
        boolean zeroCost = plan.workload().zeroCostTransform();
        log.info("{} / {}: {} messages, destinations: {}, channels: {}{}", plan.scenario(), plan.variant(),
                plan.workload().messages(), reception.destinations().size(), plan.topology().routes().size(),
                zeroCost ? ", no transforms" : ", transforms of " + plan.workload().transformMinMs() + "-"
                        + plan.workload().transformMaxMs() + " ms");
        sink.attach(reception);
        long provisionStart = System.nanoTime();
        try (Provisioned ignored = context.provisioner().provision(plan.topology(), sink::sinkUrl,
                zeroCost ? null : sink::transformUrl)) {
            double provisionSeconds = (System.nanoTime() - provisionStart) / 1e9;
            log.info("Destinations: {}, channels: {}, created in {} s", reception.destinations().size(),
                    plan.topology().routes().size(), String.format(Locale.ROOT, "%.1f", provisionSeconds));
            return send(reception, zeroCost, provisionSeconds);
        } finally {
            sink.detach(reception);
        }
    }

    private Measurement send(Reception reception, boolean zeroCost, double provisionSeconds) throws Exception {
        SendPlan sendPlan = new SendPlan(plan.topology().channels(), plan.workload(), plan.topology().prefix(),
                plan.ingestBatch());
        AckListener listener = (index, arrivedNanos, ackNanos, assignments) ->
                record(reception, zeroCost, arrivedNanos, ackNanos, assignments);
        ResourceProbe probe = ResourceProbe.start(context.redisUrl(), SAMPLE_INTERVAL);
        ResourceFigures resources;
        Sender sender = Sender.start(context.transport(), context.ingress(), plan.senders(), sendPlan, listener);
        boolean stalled;
        long end;
        try {
            if (plan.outage() != null) {
                long from = sender.startNanos() + plan.outage().from().toNanos();
                reception.refuse(plan.outage().destination(), from, from + plan.outage().length().toNanos());
            }
            stalled = !awaitDelivery(reception, sender);
            end = System.nanoTime();
        } finally {
            sender.close();
            resources = probe.stop();
        }
        if (sender.done().isCompletedExceptionally()) {
            try {
                sender.done().get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(plan.scenario() + " / " + plan.variant() + ": sending failed: "
                        + e.getCause().getMessage(), e.getCause());
            }
        }
        long lastDelivery = reception.lastDeliveryNanos().orElse(end);
        log.info("{} / {}: {} deliveries received, {} s from the first send to the last delivery", plan.scenario(),
                plan.variant(), reception.distinctDelivered(),
                String.format(Locale.ROOT, "%.1f", (lastDelivery - sender.startNanos()) / 1e9));
        return new Measurement(plan, reception, resources, sender.startNanos(), lastDelivery, sender.acknowledged(),
                provisionSeconds, stalled, sender.stats());
    }

    private static void record(Reception reception, boolean zeroCost, long arrivedNanos, long ackNanos,
            List<Assignment> assignments) {
        for (Assignment assignment : assignments) {
            DeliveryTimeline timeline = reception.timeline(assignment.destination());
            if (timeline == null) {
                throw new IllegalStateException("ingress named a destination of no route: " + assignment);
            }
            timeline.arrived(assignment.sequence(), arrivedNanos);
            if (zeroCost) {
                // Without a transform a message could be delivered as soon as it was stored.
                timeline.ready(assignment.sequence(), ackNanos);
            }
        }
    }

    /** @return true when everything arrived, false when the run stalled or sending failed */
    private boolean awaitDelivery(Reception reception, Sender sender) {
        long stallNanos = context.stall().toNanos();
        long lastProgress = System.nanoTime();
        long lastLog = lastProgress;
        long seen = -1;
        while (true) {
            if (sender.done().isCompletedExceptionally()) {
                return false;
            }
            if (sender.done().isDone() && reception.complete()) {
                return true;
            }
            long now = System.nanoTime();
            long progress = reception.deliveries() + sender.acknowledged();
            if (progress != seen) {
                seen = progress;
                lastProgress = now;
            } else if (now - lastProgress > stallNanos) {
                log.warn("{} / {}: nothing moved for {} s, giving up", plan.scenario(), plan.variant(),
                        context.stall().toSeconds());
                return false;
            }
            if (now - lastLog > PROGRESS_LOG_NANOS) {
                lastLog = now;
                log.info("{} / {}: {} of {} acknowledged, {} delivered", plan.scenario(), plan.variant(),
                        sender.acknowledged(), plan.workload().messages(), reception.distinctDelivered());
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
