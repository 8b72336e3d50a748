package org.reseq.worker.consume;

import java.util.List;

/**
 * What one XAUTOCLAIM step of a scan over the worker group's pending entries took over.
 *
 * @param nextCursor where the next step of the scan starts; {@link #START} when the scan is done
 * @param records the entries now owned by the claiming consumer, with their data
 * @param deletedIds entries that were pending but whose data was deleted: acknowledged away
 */
record ClaimedWork(String nextCursor, List<WorkRecord> records, List<String> deletedIds) {

    /** The cursor that starts a scan and that ends it. */
    static final String START = "0-0";

    boolean scanComplete() {
        return START.equals(nextCursor);
    }
}
