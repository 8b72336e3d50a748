package org.reseq.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.reseq.bench.cli.JmhCommand;
import org.reseq.bench.cli.ThroughputCommand;
import picocli.CommandLine;

class BenchCommandLineTests {

    private final ByteArrayOutputStream results = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(results, true, StandardCharsets.UTF_8);

    @Test
    void helpListsEveryScenario() {
        CommandLine commandLine = Bench.commandLine(out);
        StringWriter help = new StringWriter();
        commandLine.setOut(new PrintWriter(help));

        assertThat(commandLine.execute("--help")).isZero();
        assertThat(help.toString()).contains("throughput", "seed-750", "seed-go", "many-destinations", "outage",
                "all", "jmh");
    }

    @Test
    void scenarioOptionsDefaultToTheIssuesSizes() {
        CommandLine.ParseResult parsed = Bench.commandLine(out).parseArgs("throughput");
        CommandLine.Model.CommandSpec throughput = parsed.subcommand().commandSpec();

        assertThat(throughput.userObject()).isInstanceOf(ThroughputCommand.class);
        assertThat((Integer) throughput.findOption("--messages").getValue()).isEqualTo(100_000);
        assertThat(throughput.findOption("--destinations").<Object>getValue()).asList().containsExactly(1, 10);
        assertThat(throughput.findOption("--ingress").getValue().toString()).isEqualTo("http://127.0.0.1:8080");
        assertThat((String) throughput.findOption("--peers").getValue()).isEqualTo("all");
    }

    @Test
    void jmhGetsEveryArgumentInItsOrder() {
        CommandLine.ParseResult parsed = Bench.commandLine(out)
                .parseArgs("jmh", "-f", "1", "-wi", "2", "-i", "3", "ReleasePlanner");

        JmhCommand jmh = (JmhCommand) parsed.subcommand().commandSpec().userObject();
        assertThat(jmh.arguments()).containsExactly("-f", "1", "-wi", "2", "-i", "3", "ReleasePlanner");
    }

    @Test
    void anUnknownPeerIsABadCommandLine() {
        CommandLine commandLine = Bench.commandLine(out);
        commandLine.setErr(new PrintWriter(new StringWriter()));

        assertThat(commandLine.execute("seed-go", "--peers", "kafka")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(results.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
