package org.reseq.ingress.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts a stream into frames of a 4-byte big-endian unsigned length followed by that many bytes.
 * A frame over the limit is never buffered: its bytes are skipped as they arrive and an
 * {@link Oversize} takes its place in the output, so the connection stays usable and the reply
 * order is kept. Emits retained {@link ByteBuf} slices that the next handler must release.
 *
 * <p>Runs on the connection's event loop, like every Netty decoder.
 */
final class LengthPrefixedDecoder extends ByteToMessageDecoder {

    private static final int HEADER = 4;

    private final long maxLength;
    private long skipping;

    LengthPrefixedDecoder(long maxLength) {
        this.maxLength = maxLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (skipping > 0) {
            int skipped = (int) Math.min(skipping, in.readableBytes());
            in.skipBytes(skipped);
            skipping -= skipped;
            return;
        }
        if (in.readableBytes() < HEADER) {
            return;
        }
        long length = in.getUnsignedInt(in.readerIndex());
        if (length > maxLength) {
            in.skipBytes(HEADER);
            skipping = length;
            out.add(new Oversize(length));
            return;
        }
        if (in.readableBytes() < HEADER + length) {
            return;
        }
        in.skipBytes(HEADER);
        out.add(in.readRetainedSlice((int) length));
    }
}
