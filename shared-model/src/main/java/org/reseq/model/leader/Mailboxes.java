package org.reseq.model.leader;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Routes messages to the running leader of their destination in this instance.
 *
 * <p>Thread-safe: leaders open and close their mailbox on their own threads, listeners route on theirs.
 *
 * @param <M> what wakes a leader
 */
public final class Mailboxes<M> {

    private final ConcurrentMap<String, Mailbox<M>> byDestination = new ConcurrentHashMap<>();

    /**
     * Hands {@code message} to the leader of {@code destination}.
     *
     * @return false when this instance does not lead that destination (or the leader's mailbox is full)
     */
    public boolean route(String destination, M message) {
        Mailbox<M> mailbox = byDestination.get(destination);
        return mailbox != null && mailbox.post(message);
    }

    /** Whether a leader of {@code destination} runs here. */
    public boolean isOpen(String destination) {
        return byDestination.containsKey(destination);
    }

    /** Opens the mailbox of a starting leader, replacing one its predecessor left behind. */
    public Mailbox<M> open(String destination) {
        Mailbox<M> mailbox = new Mailbox<>();
        byDestination.put(destination, mailbox);
        return mailbox;
    }

    /** Removes {@code mailbox} unless a newer leader of the destination has replaced it already. */
    public void close(String destination, Mailbox<M> mailbox) {
        byDestination.remove(destination, mailbox);
    }
}
