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
 * <p>A request's batch that must be stored whole ({@link #submitWhole}) is never mixed with
 * other messages: it is committed in a transaction of its own, in its place in the queue, and
 * rolled back whole when one of its messages is refused.
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
    private final BlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
    /** A whole batch taken from the queue while filling a group; committed next. Committer thread only. */
    private Whole carried;
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
        Single single = new Single(message, new CompletableFuture<>());
        enqueue(single, single.future());
        return single.future();
    }

    @Override
    public CompletableFuture<List<CommitOutcome>> submitWhole(List<PendingMessage> messages) {
        Whole whole = new Whole(List.copyOf(messages), new CompletableFuture<>());
        enqueue(whole, whole.future());
        return whole.future();
    }

    private void enqueue(Queued entry, CompletableFuture<?> future) {
        closing.readLock().lock();
        try {
            if (closed) {
                future.completeExceptionally(new CommitFailedException("Shutting down", null));
            } else {
                queue.add(entry);
            }
        } finally {
            closing.readLock().unlock();
        }
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
        List<Single> batch = new ArrayList<>(maxBatch);
        while (true) {
            try {
                Queued first = carried != null ? carried : queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                carried = null;
                if (first == null) {
                    if (closed && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                if (first instanceof Whole whole) {
                    commitWhole(whole);
                    continue;
                }
                batch.add((Single) first);
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

    /**
     * Adds queued messages up to maxBatch, lingering for more only while they keep coming. A whole
     * batch ends the group: it is carried over, to be committed right after it.
     */
    private void fill(List<Single> batch) throws InterruptedException {
        long deadline = System.nanoTime() + lingerNanos;
        while (batch.size() < maxBatch) {
            Queued next = queue.poll();
            if (next == null) {
                long remaining = deadline - System.nanoTime();
                if (batch.size() == 1 || remaining <= 0) {
                    return;
                }
                next = queue.poll(remaining, TimeUnit.NANOSECONDS);
                if (next == null) {
                    return;
                }
            }
            if (next instanceof Whole whole) {
                carried = whole;
                return;
            }
            batch.add((Single) next);
        }
    }

    private void commitWhole(Whole whole) {
        CommittedBatch committed;
        try {
            committed = committer.commitWhole(whole.messages());
        } catch (BatchRefusedException e) {
            whole.future().completeExceptionally(e);
            return;
        } catch (Throwable e) {
            failed(List.of(whole), whole.messages().size(), e);
            return;
        }
        whole.future().complete(committed.outcomes());
        signal(committed);
    }

    private void commit(List<Single> batch) {
        List<PendingMessage> messages = new ArrayList<>(batch.size());
        for (Single entry : batch) {
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
            failed(batch, batch.size(), e);
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).future().complete(committed.outcomes().get(i));
        }
        signal(committed);
    }

    /**
     * Fails the entries of a commit that did not happen. Catches everything: the thread must
     * survive anything, as a dead committer would leave every later request waiting.
     */
    private void failed(List<? extends Queued> entries, int messages, Throwable e) {
        log.warn("Commit of {} message(s) failed: {}", messages, e.toString());
        CommitFailedException failure = new CommitFailedException("The commit failed", e);
        for (Queued entry : entries) {
            entry.future().completeExceptionally(failure);
        }
        if (e instanceof StoreUnreachableException) {
            failWaiting(failure);
        }
    }

    private void signal(CommittedBatch committed) {
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
        List<Queued> waiting = new ArrayList<>();
        if (carried != null) {
            waiting.add(carried);
            carried = null;
        }
        queue.drainTo(waiting);
        for (Queued entry : waiting) {
            entry.future().completeExceptionally(failure);
        }
        if (!waiting.isEmpty()) {
            log.warn("Refused {} queued message(s) at once: the store cannot be reached", waiting.size());
        }
    }

    /** What request threads queue for the committer thread. */
    private sealed interface Queued {
        CompletableFuture<?> future();
    }

    /** One message, committed in a group with others. */
    private record Single(PendingMessage message, CompletableFuture<CommitOutcome> future) implements Queued {
    }

    /** A request's messages, committed whole in a transaction of their own. */
    private record Whole(List<PendingMessage> messages, CompletableFuture<List<CommitOutcome>> future)
            implements Queued {
    }
}
