package org.reseq.bench.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.reseq.bench.cli.RetentionCleanupCommand;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

class RetentionCleanupCommandTests {

    @Test
    void optionsDefaultToTheBriefsSizes() {
        CommandSpec spec = new CommandLine(new RetentionCleanupCommand()).parseArgs().commandSpec();

        assertThat(spec.name()).isEqualTo("retention-cleanup");
        assertThat(spec.findOption("--jdbc-url").<String>getValue()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/postgres");
        assertThat(spec.findOption("--jdbc-user").<String>getValue()).isEqualTo("postgres");
        assertThat(spec.findOption("--jdbc-password").<String>getValue()).isEmpty();
        assertThat(spec.findOption("--rate").<Double>getValue()).isEqualTo(1000.0);
        assertThat(spec.findOption("--payload-bytes").<Integer>getValue()).isEqualTo(1024);
        assertThat(spec.findOption("--destinations-per-message").<Integer>getValue()).isEqualTo(2);
        assertThat(spec.findOption("--minutes").<Integer>getValue()).isEqualTo(5);
        assertThat(spec.findOption("--retention-seconds").<Integer>getValue()).isEqualTo(60);
        assertThat(spec.findOption("--cleanup-interval-seconds").<Integer>getValue()).isEqualTo(10);
        assertThat(spec.findOption("--partition-seconds").<Integer>getValue()).isEqualTo(60);
        assertThat(spec.findOption("--variants").<Object>getValue()).asList()
                .containsExactly("batched", "batched-vacuum", "partitioned", "partitioned-nofk");
    }
}
