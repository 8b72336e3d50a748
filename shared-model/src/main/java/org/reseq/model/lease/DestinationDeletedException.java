package org.reseq.model.lease;

/**
 * A lease holder found that its destination was deleted: the fenced write matched no row because
 * the cursor went with the destination. The holder stops as for any lost lease, but nothing went
 * wrong, so callers may report it more quietly than a lease taken by another instance.
 */
public class DestinationDeletedException extends LeaseLostException {

    public DestinationDeletedException(Lease lease) {
        super(lease, "the destination was deleted");
    }
}
