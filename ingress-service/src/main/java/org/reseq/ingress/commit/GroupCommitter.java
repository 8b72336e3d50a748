package org.reseq.ingress.commit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits concurrent messages in groups, so that durability costs one transaction (one fsync)
 * per group instead of one per message.
 *
 * <p>Threads: any number of request threads call {@link #submit} and wait on the returned
 * future. One committer thread, started by the constructor, owns everything else: it takes the
 * first waiting message, drains whatever else is queued (up to {@code maxBatch}), lingers up
 * to {@code linger} for more only while more are arriving (a lone message is committed at
 * once), and hands the batch to the {@link BatchCommitter}. Only after that returned does it
 * complete the batch's futures, in batch order, which is the order of their sequences; then it
 * tells the {@link IngestedListener}. A failed commit fails every future of that batch and no
 * other, except when the store could not be reached at all: then the messages that queued up
 * during that attempt fail with it, rather than wait for another connection timeout. Batches are
 * committed one after the other, so sequences follow the order of the acks.
 *
 * <p>Futures are completed on the committer thread: callers must wait on them (join, get)
 * rather than attach slow callbacks.
 */
public final class GroupCommitter implements CommitPipeline, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);
    private static final long IDLE_POLL_MILLIS = 100;

    private final BatchCommitter committer;
    private final IngestedListener listener;
    private final int maxBatch;
    private final long lingerNanos;
    private final BlockingQueue<Entry> queue = new LinkedBlockingQueue<>();
    /** Read-held while enqueuing, write-held to close: nothing is enqueued after the committer's last drain. */
    private final ReadWriteLock closing = new ReentrantReadWriteLock();
    private final Thread thread;
    private volatile boolean closed;

    public GroupCommitter(BatchCommitter committer, IngestedListener listener, int maxBatch, Duration linger) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1: " + maxBatch);
        }
        this.committer = committer;
        this.listener = listener;
        this.maxBatch = maxBatch;
        this.lingerNanos = linger.toNanos();
        this.thread = Thread.ofPlatform().name("group-committer").daemon(true).start(this::run);
    }

    @Override
    public CompletableFuture<CommitOutcome> submit(PendingMessage message) {
        Entry entry = new Entry(message, new CompletableFuture<>());
        closing.readLock().lock();
        try {
            if (closed) {
                entry.future().completeExceptionally(new CommitFailedException("Shutting down", null));
            } else {
                queue.add(entry);
            }
        } finally {
            closing.readLock().unlock();
        }
        return entry.future();
    }

    /** Messages waiting for the committer thread (a gauge for metrics). */
    public int waiting() {
        return queue.size();
    }

    /** Refuses new messages, commits those already queued, and waits for the committer thread. */
    @Override
    public void close() throws InterruptedException {
        closing.writeLock().lock();
        try {
            closed = true;
        } finally {
            closing.writeLock().unlock();
        }
        thread.join();
    }

    private void run() {
        List<Entry> batch = new ArrayList<>(maxBatch);
        while (true) {
            try {
                Entry first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closed && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                fill(batch);
            } catch (InterruptedException e) {
                // Nobody should interrupt this thread; finish what was taken and keep serving.
                log.warn("Group committer interrupted; continuing");
            }
            if (!batch.isEmpty()) {
                commit(batch);
                batch.clear();
            }
        }
    }

    /** Adds queued messages up to maxBatch, lingering for more only while they keep coming. */
    private void fill(List<Entry> batch) throws InterruptedException {
        long deadline = System.nanoTime() + lingerNanos;
        while (batch.size() < maxBatch) {
            if (queue.drainTo(batch, maxBatch - batch.size()) > 0) {
                continue;
            }
            long remaining = deadline - System.nanoTime();
            if (batch.size() == 1 || remaining <= 0) {
                return;
            }
            Entry next = queue.poll(remaining, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
        }
    }

    private void commit(List<Entry> batch) {
        List<PendingMessage> messages = new ArrayList<>(batch.size());
        for (Entry entry : batch) {
            messages.add(entry.message());
        }
        CommittedBatch committed;
        try {
            committed = committer.commit(messages);
            if (committed.outcomes().size() != batch.size()) {
                throw new IllegalStateException("Expected " + batch.size() + " outcomes, got "
                        + committed.outcomes().size());
            }
        } catch (Throwable e) {
            // The thread must survive anything: a dead committer would leave every later request waiting.
            log.warn("Commit of {} message(s) failed: {}", batch.size(), e.toString());
            CommitFailedException failure = new CommitFailedException("The commit failed", e);
            for (Entry entry : batch) {
                entry.future().completeExceptionally(failure);
            }
            if (e instanceof StoreUnreachableException) {
                failWaiting(failure);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).future().complete(committed.outcomes().get(i));
        }
        if (!committed.lastSequences().isEmpty()) {
            try {
                listener.ingested(committed.lastSequences());
            } catch (RuntimeException e) {
                log.warn("Could not signal ingested deliveries", e);
            }
        }
    }

    /**
     * The store just proved unreachable, typically after a whole connection timeout. Messages that
     * queued up meanwhile would wait for another timeout and then fail the same way: they fail
     * now, so that no sender waits longer than one timeout for its 503. Later messages get an
     * attempt of their own, which is how ingest notices that the store is back.
     */
    private void failWaiting(CommitFailedException failure) {
        List<Entry> waiting = new ArrayList<>();
        queue.drainTo(waiting);
        for (Entry entry : waiting) {
            entry.future().completeExceptionally(failure);
        }
        if (!waiting.isEmpty()) {
            log.warn("Refused {} queued message(s) at once: the store cannot be reached", waiting.size());
        }
    }

    private record Entry(PendingMessage message, CompletableFuture<CommitOutcome> future) {
    }
}
