package org.reseq.deploy;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.reseq.deploy.SuiteClient.Ack;

/**
 * A sender that posts one text message to a channel at a steady rate until closed, as senders
 * do: each message keeps one {@code Idempotency-Key} and is retried on the ingress instances in
 * turn, with a short pause after each round in which all refused, for up to {@link #GIVE_UP}.
 * Outages of the stores therefore delay acknowledgements instead of losing messages, and only
 * the acknowledged ones are part of the promise.
 *
 * <p>Threads: one platform thread paces; each message is posted from a virtual thread of its
 * own; {@link #acks()} may be read from any thread at any time.
 */
final class SteadyLoad implements AutoCloseable {

    private static final Duration GIVE_UP = Duration.ofSeconds(30);
    private static final Duration BACKOFF = Duration.ofMillis(200);

    private final List<ServiceProcess> ingresses;
    private final String channel;
    private final String keyPrefix;
    private final int perSecond;
    private final Map<String, Ack> acks = new ConcurrentHashMap<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger unacknowledged = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();
    private final AtomicBoolean sending = new AtomicBoolean(true);
    private final ExecutorService posts = Executors.newVirtualThreadPerTaskExecutor();
    private final Thread pacer;

    private SteadyLoad(List<ServiceProcess> ingresses, String channel, String keyPrefix, int perSecond) {
        this.ingresses = List.copyOf(ingresses);
        this.channel = channel;
        this.keyPrefix = keyPrefix;
        this.perSecond = perSecond;
        this.pacer = Thread.ofPlatform().name("steady-load-" + channel).unstarted(this::pace);
    }

    /** Starts posting {@code perSecond} messages a second to {@code channel}, over {@code ingresses}. */
    static SteadyLoad start(List<ServiceProcess> ingresses, String channel, String keyPrefix, int perSecond) {
        SteadyLoad load = new SteadyLoad(ingresses, channel, keyPrefix, perSecond);
        load.pacer.start();
        return load;
    }

    /** Every acknowledged message so far, by message id. */
    Map<String, Ack> acks() {
        return Map.copyOf(acks);
    }

    /** The ids of the acknowledged messages, by destination. */
    Map<String, Set<String>> expectedIdsByDestination() {
        Map<String, Set<String>> expected = new HashMap<>();
        acks.values().forEach(ack -> ack.sequences().keySet()
                .forEach(d -> expected.computeIfAbsent(d, x -> new HashSet<>()).add(ack.messageId())));
        return expected;
    }

    int sent() {
        return sent.get();
    }

    /** Messages given up after {@link #GIVE_UP} of refusals. */
    int unacknowledged() {
        return unacknowledged.get();
    }

    /** Attempts that were refused or failed and were tried again. */
    int retries() {
        return retries.get();
    }

    /** Stops sending, and waits until every message has been acknowledged or given up. */
    @Override
    public void close() {
        sending.set(false);
        try {
            pacer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        posts.close();
    }

    private void pace() {
        long interval = 1_000_000_000L / perSecond;
        long next = System.nanoTime();
        while (sending.get()) {
            int message = sent.getAndIncrement();
            posts.submit(() -> post(message));
            next += interval;
            LockSupport.parkNanos(next - System.nanoTime());
        }
    }

    private void post(int message) {
        String key = keyPrefix + message;
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            Optional<Ack> ack = SuiteClient.post(ingresses.get((message + attempt) % ingresses.size()).baseUrl(),
                    channel, "message " + message, key);
            if (ack.isPresent()) {
                acks.put(ack.get().messageId(), ack.get());
                return;
            }
            retries.incrementAndGet();
            if (attempt % ingresses.size() == ingresses.size() - 1) {
                LockSupport.parkNanos(BACKOFF.toNanos()); // every instance refused: a sender's backoff
            }
        }
        unacknowledged.incrementAndGet();
    }

    @Override
    public String toString() {
        return "%d sent, %d acknowledged, %d never acknowledged, %d retries".formatted(sent.get(), acks.size(),
                unacknowledged.get(), retries.get());
    }
}
