package org.reseq.model.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.CharRange;

class ChannelPatternsTests {

    private static final ChannelPatterns ORDERS = ChannelPatterns.of("test", List.of("orders-*", "audit"));

    @Property
    void aPrefixAllowsEveryChannelThatStartsWithIt(
            @ForAll @StringLength(max = 20) @CharRange(from = 'a', to = 'z') @Chars({'-', '_'}) String rest) {
        assertThat(ORDERS.allows("orders-" + rest)).isTrue();
    }

    @Property
    void aNameAllowsOnlyItself(
            @ForAll @StringLength(min = 1, max = 20) @CharRange(from = 'a', to = 'z') @Chars({'-', '_'}) String other) {
        assertThat(ORDERS.allows("audit" + other)).isFalse();
        assertThat(ORDERS.allows(other)).isEqualTo(other.startsWith("orders-") || other.equals("audit"));
    }

    @Property
    void noPatternsAllowEveryChannelAndNoneAllowsNone(@ForAll @StringLength(min = 1, max = 64) String channel) {
        assertThat(ChannelPatterns.of("test", List.of()).allows(channel)).isTrue();
        assertThat(ChannelPatterns.none().allows(channel)).isFalse();
    }
}
