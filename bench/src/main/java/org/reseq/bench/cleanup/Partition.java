package org.reseq.bench.cleanup;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * One time range partition, {@code [lower, upper)}, and the name its table gets: the parent's
 * name, {@code _p} and the lower bound in UTC ({@code message_p20260101_120000}). The bound is in
 * the name so that the cleaner can tell which partitions it has from their names alone, without
 * parsing PostgreSQL's partition bound expressions.
 *
 * @param lower the first instant it holds
 * @param upper the first instant it no longer holds
 */
public record Partition(Instant lower, Instant upper) implements Comparable<Partition> {

    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("uuuuMMdd_HHmmss");

    public Partition {
        if (!upper.isAfter(lower)) {
            throw new IllegalArgumentException("Empty partition [" + lower + ", " + upper + ")");
        }
    }

    /** The table name of this partition of {@code parent}. */
    public String name(String parent) {
        return parent + "_p" + SUFFIX.format(LocalDateTime.ofInstant(lower, ZoneOffset.UTC));
    }

    /**
     * The partition a table of {@code parent} named {@code name} holds, if it is one of ours.
     *
     * @param width the width every partition has
     */
    public static Optional<Partition> parse(String parent, String name, Duration width) {
        String prefix = parent + "_p";
        if (!name.startsWith(prefix)) {
            return Optional.empty();
        }
        try {
            Instant lower = LocalDateTime.parse(name.substring(prefix.length()), SUFFIX).toInstant(ZoneOffset.UTC);
            return Optional.of(new Partition(lower, lower.plus(width)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    @Override
    public int compareTo(Partition other) {
        return lower.compareTo(other.lower);
    }
}
