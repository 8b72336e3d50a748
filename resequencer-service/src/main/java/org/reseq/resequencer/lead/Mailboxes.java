package org.reseq.resequencer.lead;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;

/**
 * Routes wake-ups to the running leader of their destination.
 *
 * <p>Thread-safe: leaders open and close their mailbox on their own threads, the signal listener
 * routes on its thread.
 */
@Component
public class Mailboxes {

    private final ConcurrentMap<String, Mailbox> byDestination = new ConcurrentHashMap<>();

    /**
     * Hands the wake-up to the leader of its destination.
     *
     * @return false when this instance does not lead that destination (or the leader's mailbox is full)
     */
    public boolean route(Wakeup wakeup) {
        Mailbox mailbox = byDestination.get(wakeup.signal().destination());
        return mailbox != null && mailbox.post(wakeup);
    }

    /** Whether a leader of {@code destination} runs here. */
    public boolean isOpen(String destination) {
        return byDestination.containsKey(destination);
    }

    Mailbox open(String destination) {
        Mailbox mailbox = new Mailbox();
        byDestination.put(destination, mailbox);
        return mailbox;
    }

    /** Removes {@code mailbox} unless a newer leader of the destination has replaced it already. */
    void close(String destination, Mailbox mailbox) {
        byDestination.remove(destination, mailbox);
    }
}
