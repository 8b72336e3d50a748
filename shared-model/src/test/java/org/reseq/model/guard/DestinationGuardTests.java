package org.reseq.model.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.reseq.model.guard.AddressBlockTests.address;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class DestinationGuardTests {

    /** A resolver whose answers a test changes, as DNS records change. */
    private final Map<String, InetAddress[]> records = new ConcurrentHashMap<>();
    private final AddressResolver dns = host -> {
        InetAddress[] addresses = records.get(host);
        if (addresses != null) {
            return addresses;
        }
        if (Addresses.literal(host).isPresent()) {
            return new InetAddress[] {Addresses.literal(host).get()};
        }
        throw new UnknownHostException(host);
    };
    private final DestinationGuard guard = new DestinationGuard(new DestinationRules(false, AddressList.EMPTY,
            AddressList.EMPTY, SuiteStores.resolve(List.of(new StoreEndpoint("Redis", "10.0.0.7", 6379)), dns,
            List.of())), dns);

    @Test
    void anAllowedHostResolvesToEveryAddressWithThePort() throws Exception {
        records.put("sink.example", new InetAddress[] {address("10.0.0.1"), address("2001:db8::1")});

        assertThat(guard.resolve("sink.example", 8443)).containsExactly(
                new InetSocketAddress(address("10.0.0.1"), 8443), new InetSocketAddress(address("2001:db8::1"), 8443));
        assertThat(guard.refusal("sink.example", 8443)).isEmpty();
    }

    @Test
    void aHostWithOneRefusedAddressIsRefusedAsAWhole() throws Exception {
        records.put("mixed.example", new InetAddress[] {address("10.0.0.1"), address("169.254.169.254")});

        assertThatThrownBy(() -> guard.resolve("mixed.example", 80)).isInstanceOf(DestinationRefusedException.class)
                .hasMessage("refused by the destination guard: mixed.example:80 resolves to a link-local or cloud"
                        + " metadata address");
    }

    @Test
    void aNamePointedElsewhereAfterTheSaveIsRefusedWhenConnecting() throws Exception {
        records.put("sink.example", new InetAddress[] {address("10.0.0.1")});
        assertThat(guard.refusal(URI.create("http://sink.example:6379/in"))).isEmpty();

        records.put("sink.example", new InetAddress[] {address("10.0.0.7")});

        assertThatThrownBy(() -> guard.resolve("sink.example", 6379)).isInstanceOf(DestinationRefusedException.class)
                .hasMessageEndingWith("sink.example:6379 resolves to the suite's own Redis")
                .hasMessageNotContaining("10.0.0.7");
    }

    @Test
    void aHostThatDoesNotResolveIsLeftToTheConnectionAndFailsThereAsUnknown() {
        assertThat(guard.refusal("nowhere.example", 80)).isEmpty();
        assertThatThrownBy(() -> guard.resolve("nowhere.example", 80)).isInstanceOf(UnknownHostException.class)
                .isNotInstanceOf(DestinationRefusedException.class);
    }

    @Test
    void aDeniedNameIsRefusedWithoutBeingLookedUp() {
        DestinationGuard denying = new DestinationGuard(new DestinationRules(false, AddressList.EMPTY,
                AddressList.parse("deny", List.of("*.internal.example")), SuiteStores.NONE), host -> {
                    throw new AssertionError("looked up " + host);
                });

        assertThat(denying.refusal("nowhere.internal.example", 80))
                .hasValue("refused by the destination guard: nowhere.internal.example:80 is denied by"
                        + " reseq.security.destinations.deny");
    }

    @Test
    void aUrlIsJudgedAtItsSchemesPortAndItsRefusalShowsNeitherUserInformationNorQuery() {
        assertThat(guard.refusal(URI.create("http://user:secret@10.0.0.7:6379/path?token=abc")))
                .hasValue("refused by the destination guard: 10.0.0.7:6379 is the suite's own Redis");
        assertThat(guard.refusal(URI.create("http://10.0.0.7/"))).isEmpty();
        assertThat(guard.refusal(URI.create("https://[fe80::1]/x?y=z")))
                .hasValue("refused by the destination guard: [fe80::1]:443 is a link-local or cloud metadata address");
        assertThat(guard.refusal(URI.create("http://169.254.169.254/latest/meta-data/")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("169.254.169.254:80"));
    }

    @Test
    void aBracketedIpv6HostIsJudgedLikeTheBareOne() {
        assertThat(guard.refusal("[::]", 80)).hasValue("refused by the destination guard: [::]:80 is an unspecified"
                + " address");
        assertThat(guard.refusal("::", 80)).hasValue(guard.refusal("[::]", 80).orElseThrow());
    }
}
