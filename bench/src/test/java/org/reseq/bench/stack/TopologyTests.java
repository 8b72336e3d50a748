package org.reseq.bench.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopologyTests {

    @Test
    void aChannelPerDestinationSharesMessagesRoundRobin() {
        Topology topology = Topology.channelPerDestination("b1", 3);

        assertThat(topology.channels()).containsExactly("b1-c0", "b1-c1", "b1-c2");
        assertThat(topology.destinations()).containsExactly("b1-d0", "b1-d1", "b1-d2");
        assertThat(topology.expected(10)).isEqualTo(Map.of("b1-d0", 4, "b1-d1", 3, "b1-d2", 3));
    }

    @Test
    void aFanOutGivesEveryDestinationEveryMessage() {
        Topology topology = Topology.fanOut("b2", 2);

        assertThat(topology.routes()).containsExactly(new Topology.Route("b2-c0", List.of("b2-d0", "b2-d1")));
        assertThat(topology.expected(7)).isEqualTo(Map.of("b2-d0", 7, "b2-d1", 7));
    }

    @Test
    void runNamesAreValidAndNeverRepeat() {
        String first = RunNames.next();
        String second = RunNames.next();

        assertThat(first).matches("b[a-z0-9]+");
        assertThat(second).isNotEqualTo(first);
        assertThat(Topology.channelPerDestination(second, 1000).destinations()).hasSize(1000);
    }

    @Test
    void rejectsNamesTheAdminApiWouldReject() {
        assertThatIllegalArgumentException().isThrownBy(() -> Topology.fanOut("Bad Name", 1));
        assertThatIllegalArgumentException().isThrownBy(() -> Topology.fanOut("b".repeat(62), 1));
    }
}
