package org.reseq.bench.scenario;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.reseq.bench.peer.Peer;
import org.reseq.bench.report.Report;
import org.reseq.bench.report.RunResult;
import org.reseq.bench.sink.NettyTransport;
import org.reseq.bench.sink.SinkServer;
import org.reseq.bench.stack.Provisioner;
import org.reseq.bench.workload.Workload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every scenario of one invocation shares: the stack's address, the sink, the peers and the
 * report, and whether every reseq run so far was clean.
 *
 * <p>One thread: scenarios run one after another.
 */
public final class BenchContext {

    private static final Logger log = LoggerFactory.getLogger(BenchContext.class);

    private final URI ingress;
    private final String redisUrl;
    private final SinkServer sink;
    private final NettyTransport transport;
    private final Provisioner provisioner;
    private final List<Peer> peers;
    private final Report report;
    private final long seed;
    private final Duration stall;
    private final Path timelineDir;
    private boolean allClean = true;

    /**
     * @param ingress reseq's ingress-service
     * @param redisUrl the stack's Redis, read for its memory only
     * @param seed the seed of every workload's transform times
     * @param stall how long a run may see nothing move before its missing messages count as lost
     * @param timelineDir where each reseq run's per-message timelines go; null: nowhere
     */
    public BenchContext(URI ingress, String redisUrl, SinkServer sink, NettyTransport transport,
            Provisioner provisioner, List<Peer> peers, Report report, long seed, Duration stall, Path timelineDir) {
        this.ingress = ingress;
        this.redisUrl = redisUrl;
        this.sink = sink;
        this.transport = transport;
        this.provisioner = provisioner;
        this.peers = List.copyOf(peers);
        this.report = report;
        this.seed = seed;
        this.stall = stall;
        this.timelineDir = timelineDir;
    }

    /** Runs the plan against reseq; the caller reports the result with its notes. */
    public Measurement measure(RunPlan plan) throws Exception {
        Measurement measurement = new ReseqRun(this, plan).execute();
        if (timelineDir != null) {
            TimelineFiles.write(timelineDir, measurement);
        }
        return measurement;
    }

    /** Prints the run's JSON line and remembers whether a reseq run lost or reordered anything. */
    public void report(RunResult result) {
        report.add(result);
        if (result.system().equals("reseq") && !result.clean()) {
            allClean = false;
        }
    }

    /** Runs every selected peer on the same workload, one after another, reporting each. */
    public void runPeers(String scenario, String variant, Workload workload, int destinations) {
        eachPeer(scenario, variant, workload, destinations, report::add);
    }

    /** Runs every selected peer on the workload without reporting it, to load and compile its code. */
    public void warmPeers(String scenario, Workload workload, int destinations) {
        eachPeer(scenario, "unreported", workload, destinations, result -> { });
    }

    private void eachPeer(String scenario, String variant, Workload workload, int destinations,
            Consumer<RunResult> onResult) {
        for (Peer peer : peers) {
            log.info("{} / {}: peer {}", scenario, variant, peer.name());
            try {
                onResult.accept(peer.run(scenario, variant, workload, destinations));
            } catch (Exception e) {
                // A peer that cannot run says nothing about reseq: log it, go on.
                log.error("{} / {}: peer {} failed", scenario, variant, peer.name(), e);
            }
        }
    }

    /** A step of a scenario that may fail. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    /**
     * Runs one step (a reseq run and its peers); when it fails, logs why, marks the invocation as
     * failed and returns, so that the next step still runs.
     */
    public void attempt(String what, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            allClean = false;
            log.error("{} failed", what, e);
        }
    }

    /** @return true when every reseq run was clean and none failed */
    public boolean allClean() {
        return allClean;
    }

    public boolean hasPeers() {
        return !peers.isEmpty();
    }

    public URI ingress() {
        return ingress;
    }

    public String redisUrl() {
        return redisUrl;
    }

    public SinkServer sink() {
        return sink;
    }

    public NettyTransport transport() {
        return transport;
    }

    public Provisioner provisioner() {
        return provisioner;
    }

    public Report report() {
        return report;
    }

    public long seed() {
        return seed;
    }

    public Duration stall() {
        return stall;
    }
}
