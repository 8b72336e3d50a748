package org.reseq.model.lease;

/**
 * A lease holder found that it no longer holds its lease: a fenced write matched no row because
 * another instance took the lease with a higher epoch, or the lock's session ended. The holder
 * must stop acting for the destination at once.
 */
public class LeaseLostException extends RuntimeException {

    private final transient Lease lease;

    public LeaseLostException(Lease lease, String reason) {
        super("Lost the " + lease.role() + " lease of " + lease.destination() + " (epoch " + lease.epoch() + "): "
                + reason);
        this.lease = lease;
    }

    public Lease lease() {
        return lease;
    }
}
