package org.reseq.resequencer.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.reseq.model.redis.WorkItem;

/** What every {@link WorkQueue} does, against the fake and against the Redis work stream. */
abstract class WorkQueueContract {

    abstract WorkQueue queue();

    /** Every item added so far, oldest first. */
    abstract List<WorkItem> added();

    @Test
    void itemsAreAddedInOrderWholeAndNothingForAnEmptyBatch() {
        queue().addAll(List.of());
        List<WorkItem> items = List.of(item(1), item(2), item(3));

        queue().addAll(items);

        assertThat(added()).extracting(WorkItem::sequence).containsExactly(1L, 2L, 3L);
        assertThat(added().get(1).messageId()).isEqualTo(items.get(1).messageId());
        assertThat(new String(added().get(1).payload(), StandardCharsets.UTF_8)).isEqualTo("m-2");
    }

    private static WorkItem item(long sequence) {
        return new WorkItem("queued", 1, sequence, UUID.randomUUID(), "text/plain",
                ("m-" + sequence).getBytes(StandardCharsets.UTF_8), "{}", 0);
    }
}
