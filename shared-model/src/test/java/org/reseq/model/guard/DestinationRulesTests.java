package org.reseq.model.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.reseq.model.guard.AddressBlockTests.address;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DestinationRulesTests {

    private static final AddressResolver HOSTS = host -> switch (host) {
        case "localhost" -> new InetAddress[] {address("127.0.0.1"), address("::1")};
        case "redis.internal" -> new InetAddress[] {address("10.0.0.7")};
        default -> new InetAddress[] {address(host)};
    };
    /** This machine's address on its network, where a store listening on every interface is reached too. */
    private static final List<InetAddress> OWN = List.of(quietly("192.168.1.20"));
    /** As the services run by default: both stores on this machine. */
    private static final SuiteStores LOCAL_STORES = SuiteStores.resolve(List.of(
            new StoreEndpoint("PostgreSQL", "127.0.0.1", 5432), new StoreEndpoint("Redis", "localhost", 6379)),
            HOSTS, OWN);

    @Test
    void loopbackIsAllowedWhileSecurityIsOffAndRefusedWhileItIsOn() throws Exception {
        DestinationRules off = rules(false, List.of(), List.of());
        DestinationRules on = rules(true, List.of(), List.of());

        for (String loopback : new String[] {"127.0.0.1", "127.1.2.3", "::1"}) {
            assertThat(off.judge(loopback, address(loopback), 8080)).as(loopback).isEqualTo(Verdict.ALLOWED);
            assertThat(on.judge(loopback, address(loopback), 8080).reason()).as(loopback)
                    .isEqualTo(DestinationRules.LOOPBACK);
        }
        assertThat(on.judge("localhost", address("127.0.0.1"), 8080).allowed()).isFalse();
    }

    @Test
    void anAllowEntryOpensLoopbackWhileSecurityIsOn() throws Exception {
        DestinationRules byBlock = rules(true, List.of("127.0.0.0/8"), List.of());
        DestinationRules byName = rules(true, List.of("localhost"), List.of());

        assertThat(byBlock.judge("127.0.0.1", address("127.0.0.1"), 8080).allowed()).isTrue();
        assertThat(byBlock.judge("::1", address("::1"), 8080).allowed()).isFalse();
        assertThat(byName.judge("localhost", address("::1"), 8080).allowed()).isTrue();
        assertThat(byName.judge("127.0.0.1", address("127.0.0.1"), 8080).allowed()).isFalse();
    }

    @Test
    void theSuitesStoresAreRefusedWhateverTheAllowListSays() throws Exception {
        DestinationRules rules = rules(true, List.of("127.0.0.0/8", "::1", "192.168.0.0/16", "localhost"), List.of());

        assertThat(rules.judge("127.0.0.1", address("127.0.0.1"), 6379).reason()).isEqualTo("the suite's own Redis");
        assertThat(rules.judge("localhost", address("127.0.0.1"), 5432).reason())
                .isEqualTo("the suite's own PostgreSQL");
        // A store on this machine may listen on every address it has.
        assertThat(rules.judge("127.0.0.2", address("127.0.0.2"), 6379).allowed()).isFalse();
        assertThat(rules.judge("::1", address("::1"), 5432).allowed()).isFalse();
        assertThat(rules.judge("192.168.1.20", address("192.168.1.20"), 6379).allowed()).isFalse();
        assertThat(rules.judge("0:0:0:0:0:ffff:7f00:1", address("::ffff:127.0.0.1"), 6379).allowed()).isFalse();
        // Other ports of the same addresses are the allow list's to open.
        assertThat(rules.judge("127.0.0.1", address("127.0.0.1"), 6380).allowed()).isTrue();
        assertThat(rules.judge("192.168.1.20", address("192.168.1.20"), 8080).allowed()).isTrue();
    }

    @Test
    void aStoreOnAnotherMachineIsRefusedAtItsOwnAddressAndPort() throws Exception {
        DestinationRules rules = new DestinationRules(false, AddressList.EMPTY, AddressList.EMPTY,
                SuiteStores.resolve(List.of(new StoreEndpoint("Redis", "redis.internal", 6379)), HOSTS, OWN));

        assertThat(rules.judge("redis.internal", address("10.0.0.7"), 6379).reason())
                .isEqualTo("the suite's own Redis");
        assertThat(rules.judge("10.0.0.8", address("10.0.0.8"), 6379).allowed()).isTrue();
        assertThat(rules.judge("10.0.0.7", address("10.0.0.7"), 6380).allowed()).isTrue();
        assertThat(rules.judge("127.0.0.1", address("127.0.0.1"), 6379).allowed()).isTrue();
    }

    @Test
    void linkLocalAndMetadataAddressesAreRefusedWhateverTheAllowListSays() throws Exception {
        DestinationRules rules = rules(false, List.of("0.0.0.0/0", "::/0", "169.254.0.0/16", "metadata.internal"),
                List.of());

        for (String linkLocal : new String[] {"169.254.169.254", "169.254.0.1", "fe80::1", "febf::1",
                "fd00:ec2::254", "::ffff:169.254.169.254"}) {
            assertThat(rules.judge(linkLocal, address(linkLocal), 80).reason()).as(linkLocal)
                    .isEqualTo(DestinationRules.LINK_LOCAL);
        }
        assertThat(rules.judge("metadata.internal", address("169.254.169.254"), 80).allowed()).isFalse();
        assertThat(rules.judge("fd00:ec2::253", address("fd00:ec2::253"), 80).allowed()).isTrue();
    }

    @Test
    void unspecifiedAddressesAreRefused() throws Exception {
        DestinationRules rules = rules(false, List.of("0.0.0.0/0", "::/0"), List.of());

        for (String unspecified : new String[] {"0.0.0.0", "0.1.2.3", "::", "::ffff:0.0.0.0"}) {
            assertThat(rules.judge(unspecified, address(unspecified), 80).reason()).as(unspecified)
                    .isEqualTo(DestinationRules.UNSPECIFIED);
        }
    }

    @Test
    void otherAddressesAreAllowedUnlessDenied() throws Exception {
        DestinationRules open = rules(false, List.of(), List.of());
        DestinationRules closed = rules(true, List.of(), List.of("10.0.0.0/8", "2001:db8::/32", "*.internal.example"));

        for (String address : new String[] {"10.1.2.3", "192.168.1.1", "172.16.0.1", "93.184.216.34", "2001:db8::1",
                "fd12::1"}) {
            assertThat(open.judge(address, address(address), 443).allowed()).as(address).isTrue();
        }
        assertThat(closed.judge("10.1.2.3", address("10.1.2.3"), 443).reason()).isEqualTo(DestinationRules.DENIED);
        assertThat(closed.judge("::ffff:10.1.2.3", address("::ffff:10.1.2.3"), 443).allowed()).isFalse();
        assertThat(closed.judge("2001:db8::1", address("2001:db8::1"), 443).allowed()).isFalse();
        assertThat(closed.judge("2001:db9::1", address("2001:db9::1"), 443).allowed()).isTrue();
        assertThat(closed.judge("sink.internal.example", address("93.184.216.34"), 443).reason())
                .isEqualTo(DestinationRules.DENIED);
        assertThat(closed.judge("sink.example", address("93.184.216.34"), 443).allowed()).isTrue();
    }

    @Test
    void denyWinsOverAllow() throws Exception {
        DestinationRules rules = rules(true, List.of("127.0.0.0/8", "10.0.0.0/8", "*.internal.example"),
                List.of("127.0.0.2", "10.1.0.0/16", "secret.internal.example"));

        assertThat(rules.judge("127.0.0.1", address("127.0.0.1"), 80).allowed()).isTrue();
        assertThat(rules.judge("127.0.0.2", address("127.0.0.2"), 80).reason()).isEqualTo(DestinationRules.DENIED);
        assertThat(rules.judge("10.1.9.9", address("10.1.9.9"), 80).allowed()).isFalse();
        assertThat(rules.judge("a.internal.example", address("127.0.0.1"), 80).allowed()).isTrue();
        assertThat(rules.judge("secret.internal.example", address("127.0.0.1"), 80).allowed()).isFalse();
    }

    @Test
    void denyingLoopbackRefusesItWhileSecurityIsOff() throws Exception {
        DestinationRules rules = rules(false, List.of(), List.of("127.0.0.0/8", "::1"));

        assertThat(rules.judge("127.0.0.1", address("127.0.0.1"), 80).allowed()).isFalse();
        assertThat(rules.judge("::1", address("::1"), 80).allowed()).isFalse();
    }

    @Property
    void everyLinkLocalIpv4AddressIsRefusedInBothSpellingsWhateverTheLists(
            @ForAll @IntRange(min = 0, max = 65_535) int host, @ForAll @IntRange(min = 1, max = 65_535) int port,
            @ForAll boolean securityEnabled) throws Exception {
        DestinationRules rules = rules(securityEnabled, List.of("0.0.0.0/0", "::/0"), List.of());
        String dotted = "169.254." + (host >>> 8) + "." + (host & 0xff);

        assertThat(rules.judge(dotted, address(dotted), port).allowed()).isFalse();
        assertThat(rules.judge(dotted, address("::ffff:" + dotted), port).allowed()).isFalse();
    }

    @Property
    void aDeniedAddressIsRefusedHoweverItIsAllowed(@ForAll @IntRange(min = 1, max = 223) int first,
            @ForAll int rest, @ForAll @IntRange(min = 1, max = 65_535) int port, @ForAll boolean securityEnabled)
            throws Exception {
        String dotted = first + "." + (rest >>> 16 & 0xff) + "." + (rest >>> 8 & 0xff) + "." + (rest & 0xff);
        DestinationRules rules = rules(securityEnabled, List.of(dotted, "0.0.0.0/0"), List.of(dotted + "/32"));

        assertThat(rules.judge(dotted, address(dotted), port).allowed()).isFalse();
    }

    @Property
    void theStoresAreRefusedAtEveryLoopbackAddressHoweverLoopbackIsAllowed(
            @ForAll @IntRange(min = 0, max = 0xffffff) int host, @ForAll boolean securityEnabled) throws Exception {
        DestinationRules rules = rules(securityEnabled, List.of("127.0.0.0/8", "0.0.0.0/0"), List.of());
        String dotted = "127." + (host >>> 16) + "." + (host >>> 8 & 0xff) + "." + (host & 0xff);

        for (Map.Entry<Integer, String> store : Map.of(5432, "PostgreSQL", 6379, "Redis").entrySet()) {
            assertThat(rules.judge(dotted, address(dotted), store.getKey()).reason())
                    .isEqualTo("the suite's own " + store.getValue());
        }
    }

    private static DestinationRules rules(boolean securityEnabled, List<String> allow, List<String> deny) {
        return new DestinationRules(securityEnabled, AddressList.parse("allow", allow), AddressList.parse("deny", deny),
                LOCAL_STORES);
    }

    private static InetAddress quietly(String literal) {
        try {
            return address(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
