package org.reseq.egress.leader;

/** What wakes an egress leader early. Any number of them between two waits count as one round. */
enum Wakeup {
    /** The resequencer released more for the destination. */
    RELEASED,
    /** An operator changed the destination (configuration, pause flag, a redelivery): read it again now. */
    CHANGED
}
