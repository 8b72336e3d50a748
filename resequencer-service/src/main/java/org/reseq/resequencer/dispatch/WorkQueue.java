package org.reseq.resequencer.dispatch;

import java.util.List;
import org.reseq.model.redis.WorkItem;

/** Where work items go for the transform workers. */
public interface WorkQueue {

    /** Adds every item, in order, in one round trip. */
    void addAll(List<WorkItem> items);
}
