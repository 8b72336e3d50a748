package org.reseq.worker.consume;

import org.reseq.model.redis.WorkItem;

/**
 * A work stream entry as decoded: what the worker holds and runs.
 *
 * @param id the stream entry id, for XACK and XDEL
 * @param item the work item it carries
 * @param bytes the entry's encoded size (payload and destination configuration): what holding
 *     it costs in memory
 */
record WorkEntry(String id, WorkItem item, long bytes) {

    String destination() {
        return item.destination();
    }
}
