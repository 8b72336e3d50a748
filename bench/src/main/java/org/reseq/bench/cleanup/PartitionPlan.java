package org.reseq.bench.cleanup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which partitions the partitioned variant must have and which it may drop: partitions are
 * {@code width} wide and aligned on multiples of it since the epoch; the one holding now and
 * {@code ahead} more after it must exist (so that a writer never finds no partition for its rows,
 * even when a cleaner run is late), and one whose upper bound is at or before the retention
 * cutoff holds nothing younger than the cutoff and can go whole.
 *
 * <p>Pure and immutable.
 *
 * @param width how much time one partition holds
 * @param ahead how many partitions after the current one must exist
 */
public record PartitionPlan(Duration width, int ahead) {

    public PartitionPlan {
        if (width.isNegative() || width.toMillis() < 1000 || width.toNanos() % 1_000_000_000L != 0) {
            throw new IllegalArgumentException("A partition is a whole number of seconds wide: " + width);
        }
        if (ahead < 0) {
            throw new IllegalArgumentException("ahead must not be negative: " + ahead);
        }
    }

    /** The partition that holds {@code at}. */
    public Partition containing(Instant at) {
        long seconds = width.toSeconds();
        long lower = Math.floorDiv(at.getEpochSecond(), seconds) * seconds;
        Instant start = Instant.ofEpochSecond(lower);
        return new Partition(start, start.plus(width));
    }

    /** The partitions that must exist at {@code now}: the current one and {@code ahead} more, in order. */
    public List<Partition> wanted(Instant now) {
        List<Partition> wanted = new ArrayList<>(ahead + 1);
        Partition partition = containing(now);
        for (int k = 0; k <= ahead; k++) {
            wanted.add(partition);
            partition = new Partition(partition.upper(), partition.upper().plus(width));
        }
        return wanted;
    }

    /** The wanted partitions that are not among {@code existing}, in order. */
    public List<Partition> missing(Instant now, Collection<Partition> existing) {
        Set<Partition> have = new HashSet<>(existing);
        return wanted(now).stream().filter(partition -> !have.contains(partition)).toList();
    }

    /** The partitions among {@code existing} that hold nothing at or after {@code cutoff}, oldest first. */
    public static List<Partition> dueToDrop(Instant cutoff, Collection<Partition> existing) {
        return existing.stream().filter(partition -> !partition.upper().isAfter(cutoff)).sorted().toList();
    }
}
