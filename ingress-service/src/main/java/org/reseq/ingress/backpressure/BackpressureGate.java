package org.reseq.ingress.backpressure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a channel may take a message now: not while any destination it routes to has a
 * backlog above its {@code maxBacklog}. Each channel's backlogs are cached for {@code refresh}, so
 * ingest costs a store read per channel and interval, not per message; a decision may therefore
 * lag the truth by up to that interval (a limit is a brake, not an exact bound).
 *
 * <p>Thread-safe and called on request threads. Per channel at most one caller re-reads an
 * expired entry; the others go on with the previous one meanwhile. When the store cannot be read
 * the gate lets messages through (the commit then answers for the store) and keeps what it knew.
 */
public final class BackpressureGate {

    private static final Logger log = LoggerFactory.getLogger(BackpressureGate.class);
    // Channel names come from senders; unknown ones must not grow the cache without bound.
    private static final int MAX_CHANNELS = 10_000;

    private final BacklogSource source;
    private final long refreshNanos;
    private final Duration retryAfter;
    private final LongSupplier nanoTime;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public BackpressureGate(BacklogSource source, Duration refresh) {
        this(source, refresh, System::nanoTime);
    }

    BackpressureGate(BacklogSource source, Duration refresh, LongSupplier nanoTime) {
        this.source = source;
        this.refreshNanos = refresh.toNanos();
        this.retryAfter = refresh.compareTo(Duration.ofSeconds(1)) > 0 ? refresh : Duration.ofSeconds(1);
        this.nanoTime = nanoTime;
    }

    /** The channel's destinations whose backlog is above their limit; empty when the message may go. */
    public List<DestinationBacklog> overLimit(String channel) {
        return snapshot(channel).backlogs().stream().filter(DestinationBacklog::overLimit).toList();
    }

    /** What a refused sender is told to wait: the refresh interval, at least a second. */
    public Duration retryAfter() {
        return retryAfter;
    }

    private Snapshot snapshot(String channel) {
        if (entries.size() > MAX_CHANNELS) {
            entries.clear();
        }
        Entry entry = entries.computeIfAbsent(channel, name -> new Entry());
        Snapshot current = entry.snapshot;
        long now = nanoTime.getAsLong();
        if (current != null && refreshNanos > 0 && now - current.readAtNanos() < refreshNanos) {
            return current;
        }
        if (refreshNanos == 0 || current == null) {
            // Nothing to fall back on (or caching is off): this caller reads for itself.
            Snapshot read = read(channel, entry, current, now);
            entry.snapshot = read;
            return read;
        }
        if (!entry.refreshing.compareAndSet(false, true)) {
            return current;
        }
        try {
            Snapshot read = read(channel, entry, current, now);
            entry.snapshot = read;
            return read;
        } finally {
            entry.refreshing.set(false);
        }
    }

    private Snapshot read(String channel, Entry entry, Snapshot previous, long now) {
        try {
            Snapshot read = new Snapshot(List.copyOf(source.limitedDestinations(channel)), now);
            entry.failing = false;
            return read;
        } catch (Exception e) {
            // Once per outage and channel, not once per refresh.
            if (!entry.failing) {
                entry.failing = true;
                log.warn("Backlogs of channel {} could not be read ({}); ingest goes on with what was known",
                        channel, e.toString());
            }
            return new Snapshot(previous == null ? List.of() : previous.backlogs(), now);
        }
    }

    private record Snapshot(List<DestinationBacklog> backlogs, long readAtNanos) {
    }

    private static final class Entry {
        private volatile Snapshot snapshot;
        private volatile boolean failing;
        private final AtomicBoolean refreshing = new AtomicBoolean();
    }
}
