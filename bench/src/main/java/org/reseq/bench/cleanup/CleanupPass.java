package org.reseq.bench.cleanup;

/**
 * What one cleaner run did.
 *
 * @param messages messages removed (for dropped partitions: their live tuple count just before)
 * @param deliveries deliveries removed (likewise)
 * @param partitionsDropped partitions detached and dropped, message and delivery counted apart
 * @param partitionsCreated partitions created ahead, message and delivery counted apart
 */
record CleanupPass(long messages, long deliveries, int partitionsDropped, int partitionsCreated) {

    static final CleanupPass NOTHING = new CleanupPass(0, 0, 0, 0);

    CleanupPass plus(CleanupPass other) {
        return new CleanupPass(messages + other.messages, deliveries + other.deliveries,
                partitionsDropped + other.partitionsDropped, partitionsCreated + other.partitionsCreated);
    }
}
