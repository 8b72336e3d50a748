package org.reseq.model.lease;

/** The roles that hold one lease per destination. */
public enum LeaseRole {
    /** Dispatches work, collects results and releases them in order; its cursor is "released". */
    RESEQUENCER(1),
    /** Delivers released results to the destination; its cursor is "delivered". */
    EGRESS(2);

    private final int lockClass;

    LeaseRole(int lockClass) {
        this.lockClass = lockClass;
    }

    /** The first key of the two-key advisory lock; the second is the destination's id. */
    public int lockClass() {
        return lockClass;
    }
}
