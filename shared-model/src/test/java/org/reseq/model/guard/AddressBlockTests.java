package org.reseq.model.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class AddressBlockTests {

    @Test
    void anIpv4BlockHoldsExactlyTheAddressesUnderItsPrefix() throws Exception {
        AddressBlock block = AddressBlock.parse("10.0.0.0/8");

        assertThat(block.contains(address("10.0.0.0"))).isTrue();
        assertThat(block.contains(address("10.255.255.255"))).isTrue();
        assertThat(block.contains(address("11.0.0.0"))).isFalse();
        assertThat(block.contains(address("9.255.255.255"))).isFalse();
    }

    @Test
    void anIpv4BlockHoldsTheIpv4MappedSpellingOfItsAddressesButNoOtherIpv6Address() throws Exception {
        AddressBlock block = AddressBlock.parse("169.254.0.0/16");

        assertThat(block.contains(java.net.Inet6Address.getByAddress(null, mapped(169, 254, 169, 254), null)))
                .isTrue();
        assertThat(block.contains(address("fe80::1"))).isFalse();
    }

    @Test
    void anIpv6BlockHoldsItsAddresses() throws Exception {
        AddressBlock block = AddressBlock.parse("fe80::/10");

        assertThat(block.contains(address("fe80::1"))).isTrue();
        assertThat(block.contains(address("febf:ffff::1"))).isTrue();
        assertThat(block.contains(address("fec0::1"))).isFalse();
        assertThat(block.contains(address("169.254.1.1"))).isFalse();
    }

    @Test
    void aLoneAddressIsABlockOfOne() throws Exception {
        assertThat(AddressBlock.parse("fd00:ec2::254").contains(address("fd00:ec2::254"))).isTrue();
        assertThat(AddressBlock.parse("fd00:ec2::254").contains(address("fd00:ec2::255"))).isFalse();
        assertThat(AddressBlock.parse("[::1]").contains(address("::1"))).isTrue();
        assertThat(AddressBlock.parse("127.0.0.1").contains(address("127.0.0.2"))).isFalse();
    }

    @Test
    void bitsBeyondThePrefixAreIgnored() throws Exception {
        assertThat(AddressBlock.parse("10.1.2.3/8")).isEqualTo(AddressBlock.parse("10.0.0.0/8"));
        assertThat(AddressBlock.parse("10.1.2.3/8").contains(address("10.200.0.1"))).isTrue();
    }

    @Test
    void anythingButAnIpLiteralWithAPrefixInRangeIsRefused() {
        for (String text : new String[] {"10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/x", "host.example/8",
                "10.0.0/8", "256.0.0.1", "10.1", "2852039166", "fe80::zz/10", ""}) {
            assertThatThrownBy(() -> AddressBlock.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Property
    void anIpv4BlockHoldsAnAddressExactlyWhenTheirLeadingBitsAgree(@ForAll int network, @ForAll int candidate,
            @ForAll @IntRange(min = 0, max = 32) int prefix) throws Exception {
        AddressBlock block = AddressBlock.parse(dotted(network) + "/" + prefix);
        long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        boolean agree = ((network & 0xffffffffL) & mask) == ((candidate & 0xffffffffL) & mask);

        assertThat(block.contains(address(dotted(candidate)))).isEqualTo(agree);
        assertThat(block.contains(address(dotted(network)))).isTrue();
    }

    private static String dotted(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
    }

    private static byte[] mapped(int a, int b, int c, int d) {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        bytes[12] = (byte) a;
        bytes[13] = (byte) b;
        bytes[14] = (byte) c;
        bytes[15] = (byte) d;
        return bytes;
    }

    static InetAddress address(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal.indexOf(':') >= 0 ? "[" + literal + "]" : literal);
    }
}
