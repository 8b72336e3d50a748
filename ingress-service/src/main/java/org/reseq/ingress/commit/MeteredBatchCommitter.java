package org.reseq.ingress.commit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.Callable;

/** Measures commits: their duration, their size and their failures. */
public final class MeteredBatchCommitter implements BatchCommitter {

    private final BatchCommitter delegate;
    private final Timer duration;
    private final DistributionSummary size;
    private final Counter failures;
    private final Counter accepted;
    private final Counter replayed;

    public MeteredBatchCommitter(BatchCommitter delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.duration = Timer.builder("reseq.ingress.commit.duration")
                .description("Time to commit one batch of messages").register(registry);
        this.size = DistributionSummary.builder("reseq.ingress.commit.batch.size")
                .description("Messages per committed transaction").register(registry);
        this.failures = Counter.builder("reseq.ingress.commit.failures")
                .description("Transactions that did not commit").register(registry);
        this.accepted = Counter.builder("reseq.ingress.messages.accepted")
                .description("Messages stored with their deliveries").register(registry);
        this.replayed = Counter.builder("reseq.ingress.messages.replayed")
                .description("Repeats answered from an earlier message with the same idempotency key")
                .register(registry);
    }

    @Override
    public CommittedBatch commit(List<PendingMessage> batch) throws Exception {
        return measured(batch, () -> delegate.commit(batch));
    }

    @Override
    public CommittedBatch commitWhole(List<PendingMessage> batch) throws Exception {
        return measured(batch, () -> delegate.commitWhole(batch));
    }

    private CommittedBatch measured(List<PendingMessage> batch, Callable<CommittedBatch> commit) throws Exception {
        long start = System.nanoTime();
        try {
            CommittedBatch committed = commit.call();
            size.record(batch.size());
            for (CommitOutcome outcome : committed.outcomes()) {
                if (outcome instanceof CommitOutcome.Accepted) {
                    accepted.increment();
                } else if (outcome instanceof CommitOutcome.Replayed) {
                    replayed.increment();
                }
            }
            return committed;
        } catch (Exception e) {
            failures.increment();
            throw e;
        } finally {
            duration.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }
}
