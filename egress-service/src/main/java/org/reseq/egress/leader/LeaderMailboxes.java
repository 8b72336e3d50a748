package org.reseq.egress.leader;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The mailboxes of the leaders running in this instance, by destination. Thread-safe: leaders
 * register and unregister on their own threads, the pub/sub listener wakes them on its own.
 */
@Component
class LeaderMailboxes {

    private final Map<String, Mailbox> byDestination = new ConcurrentHashMap<>();

    /** Opens the mailbox of a starting leader, replacing one its predecessor left behind. */
    Mailbox open(String destination) {
        Mailbox mailbox = new Mailbox();
        byDestination.put(destination, mailbox);
        return mailbox;
    }

    /** Closes a leader's mailbox, unless a newer leader of the destination already opened its own. */
    void close(String destination, Mailbox mailbox) {
        byDestination.remove(destination, mailbox);
    }

    /** Wakes the leader of a changed destination, to read it again at once; nothing when not led here. */
    void changed(String destination) {
        Mailbox mailbox = byDestination.get(destination);
        if (mailbox != null) {
            mailbox.changed();
        }
    }

    /** Wakes the leader of {@code destination}; nothing happens when this instance does not lead it. */
    void wake(String destination) {
        Mailbox mailbox = byDestination.get(destination);
        if (mailbox != null) {
            mailbox.wake();
        }
    }
}
