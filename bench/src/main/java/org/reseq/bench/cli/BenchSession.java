package org.reseq.bench.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import org.reseq.bench.peer.Peer;
import org.reseq.bench.peer.PeerSettings;
import org.reseq.bench.peer.Peers;
import org.reseq.bench.report.Report;
import org.reseq.bench.scenario.BenchContext;
import org.reseq.bench.sink.NettyTransport;
import org.reseq.bench.sink.SinkServer;
import org.reseq.bench.stack.AdminClient;
import org.reseq.bench.stack.Provisioner;
import picocli.CommandLine;

/** What one invocation opens from its options (the sink above all) and closes at the end. */
final class BenchSession implements AutoCloseable {

    /** Admin calls in flight at once: a thousand destinations are created in seconds. */
    private static final int ADMIN_PARALLELISM = 32;
    private static final int SINK_THREADS = 2;

    private final SinkServer sink;
    private final BenchContext context;

    private BenchSession(SinkServer sink, BenchContext context) {
        this.sink = sink;
        this.context = context;
    }

    static BenchSession open(CommandLine commandLine, CommonOptions options, PrintStream out) {
        List<Peer> peers;
        try {
            peers = Peers.select(options.peers, new PeerSettings(options.peerJdbcUrl, options.peerJdbcUser,
                    options.peerJdbcPassword, Duration.ofSeconds(options.peerMaxSeconds)));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage(), e);
        }
        if (options.stallSeconds < 1) {
            throw new CommandLine.ParameterException(commandLine, "--stall-seconds must be positive");
        }
        if (options.warmupSeconds < 0) {
            throw new CommandLine.ParameterException(commandLine, "--warmup-seconds must not be negative");
        }
        if (options.deliveryBatch < 0 || options.deliveryBatch > 10_000) {
            throw new CommandLine.ParameterException(commandLine, "--delivery-batch must be between 0 and 10000");
        }
        AdminClient admin = new AdminClient(options.ingress, options.deliveryBatch);
        admin.requireReachable();
        NettyTransport transport = NettyTransport.best();
        SinkServer sink = SinkServer.start(options.sinkHost, options.sinkPort, SINK_THREADS, transport);
        BenchContext context = new BenchContext(options.ingress, options.redis, sink, transport,
                new Provisioner(admin, ADMIN_PARALLELISM), peers, new Report(out), options.seed,
                Duration.ofSeconds(options.stallSeconds), options.timelineDir);
        return new BenchSession(sink, context);
    }

    BenchContext context() {
        return context;
    }

    @Override
    public void close() {
        sink.close();
    }
}
