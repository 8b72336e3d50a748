package org.reseq.ingress.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LengthPrefixedDecoderTests {

    @Test
    void cutsFramesThatArriveInPiecesAndSeveralPerRead() {
        EmbeddedChannel channel = new EmbeddedChannel(new LengthPrefixedDecoder(10));
        byte[] stream = concat(frame(new byte[] {1, 2, 3}), frame(new byte[0]), frame(new byte[] {4, 5}));

        // One byte at a time, then the rest in one go.
        for (int i = 0; i < 6; i++) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {stream[i]}));
        }
        channel.writeInbound(Unpooled.wrappedBuffer(stream, 6, stream.length - 6));

        assertThat(decoded(channel)).containsExactly(List.of(1, 2, 3), List.of(), List.of(4, 5));
    }

    @Test
    void skipsAnOversizeFrameAcrossReadsWithoutBufferingItAndGoesOn() {
        EmbeddedChannel channel = new EmbeddedChannel(new LengthPrefixedDecoder(10));
        byte[] big = frame(new byte[25]);

        channel.writeInbound(Unpooled.wrappedBuffer(big, 0, 12));
        Object first = channel.readInbound();
        assertThat(first).isEqualTo(new Oversize(25));
        channel.writeInbound(Unpooled.wrappedBuffer(big, 12, big.length - 12));
        channel.writeInbound(Unpooled.wrappedBuffer(frame(new byte[] {7})));

        assertThat(decoded(channel)).containsExactly(List.of(7));
    }

    @Test
    void takesTheLengthAsUnsigned() {
        EmbeddedChannel channel = new EmbeddedChannel(new LengthPrefixedDecoder(10));

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, 0, 0, 0, 1}));

        Object first = channel.readInbound();
        assertThat(first).isEqualTo(new Oversize(0xff00_0000L));
    }

    private static List<List<Integer>> decoded(EmbeddedChannel channel) {
        List<List<Integer>> frames = new ArrayList<>();
        for (Object frame = channel.readInbound(); frame != null; frame = channel.readInbound()) {
            ByteBuf buf = (ByteBuf) frame;
            List<Integer> bytes = new ArrayList<>();
            for (byte b : ByteBufUtil.getBytes(buf)) {
                bytes.add((int) b);
            }
            buf.release();
            frames.add(bytes);
        }
        return frames;
    }

    private static byte[] frame(byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer all = ByteBuffer.allocate(java.util.Arrays.stream(parts).mapToInt(part -> part.length).sum());
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }
}
