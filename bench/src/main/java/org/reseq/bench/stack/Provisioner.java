package org.reseq.bench.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a run's destinations and channels through the admin API, many calls at once (a
 * thousand destinations one by one would take longer than the run), and removes them again.
 */
public final class Provisioner {

    private static final Logger log = LoggerFactory.getLogger(Provisioner.class);

    /** One admin call; throws what the call throws. */
    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    private final AdminClient admin;
    private final int parallelism;

    /** @param parallelism admin calls in flight at once */
    public Provisioner(AdminClient admin, int parallelism) {
        this.admin = admin;
        this.parallelism = parallelism;
    }

    /**
     * Creates every destination (delivering to {@code sinkUrl}, through {@code transformUrl}
     * unless it is null), then every channel.
     *
     * @return what removes them; on failure, whatever was created is removed before the exception
     */
    public Provisioned provision(Topology topology, UnaryOperator<String> sinkUrl, UnaryOperator<String> transformUrl)
            throws Exception {
        Provisioned provisioned = new Provisioned(this, topology);
        try {
            all(topology.destinations().stream().<Call>map(d -> () -> admin.putDestination(d, sinkUrl.apply(d),
                    transformUrl == null ? null : transformUrl.apply(d))).toList());
            all(topology.routes().stream().<Call>map(r -> () -> admin.putChannel(r.channel(), r.destinations()))
                    .toList());
        } catch (Exception e) {
            provisioned.close();
            throw e;
        }
        return provisioned;
    }

    /** Deletes channels first (a routed destination cannot be deleted), then destinations. */
    void remove(Topology topology) {
        try {
            all(topology.channels().stream().<Call>map(c -> () -> admin.deleteChannel(c)).toList());
            all(topology.destinations().stream().<Call>map(d -> () -> admin.deleteDestination(d)).toList());
        } catch (Exception e) {
            log.warn("Could not remove everything of run {}: {}", topology.prefix(), e.toString());
        }
    }

    /** Runs the calls, at most {@code parallelism} at once, and throws the first failure after all ended. */
    private void all(List<Call> calls) throws Exception {
        Semaphore permits = new Semaphore(parallelism);
        List<Future<?>> futures = new ArrayList<>(calls.size());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Call call : calls) {
                futures.add(executor.submit(() -> {
                    permits.acquire();
                    try {
                        call.run();
                    } finally {
                        permits.release();
                    }
                    return null;
                }));
            }
        }
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }
}
