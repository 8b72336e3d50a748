package org.reseq.model.redis;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.reseq.model.tracing.Traceparent;

/**
 * Binary codecs for what travels through Redis. Each value starts with a format byte, so a
 * later format can be read beside this one during a rolling upgrade.
 *
 * <p>Travelling headers came with the second format of each (work item V3, result V2), which
 * appends them to the earlier one. A value without headers is still written in the earlier
 * format: during a rolling upgrade, a service of the earlier version reads every message of a
 * channel that keeps no headers, and values written before the upgrade read as without headers.
 *
 * <p>The message's trace context came with the third format of each (work item V4, result V3):
 * the headers (possibly none) and then the {@code traceparent}. A value without a trace context
 * (a message stored by an earlier ingress) is still written in an earlier format, so an upgrade
 * that updates the readers first (egress and resequencer, then workers, ingress last) never
 * writes a value that a running service cannot read.
 */
public final class Codec {

    /**
     * V1 lacked the incarnation; V2 has it after the destination; V3 appends the headers; V4 the
     * headers and the trace context.
     */
    private static final byte WORK_ITEM_V2 = 2;
    private static final byte WORK_ITEM_V3 = 3;
    private static final byte WORK_ITEM_V4 = 4;
    /** V2 appends the headers to V1; V3 the headers and the trace context. */
    private static final byte RESULT_V1 = 1;
    private static final byte RESULT_V2 = 2;
    private static final byte RESULT_V3 = 3;

    private Codec() {
    }

    public static byte[] encode(WorkItem item) {
        boolean traced = item.traceparent() != null;
        boolean headers = traced || !item.headers().isEmpty();
        return write(128 + item.payload().length + item.configJson().length(), out -> {
            out.writeByte(traced ? WORK_ITEM_V4 : headers ? WORK_ITEM_V3 : WORK_ITEM_V2);
            writeString(out, item.destination());
            out.writeInt(item.incarnation());
            out.writeLong(item.sequence());
            writeUuid(out, item.messageId());
            writeString(out, item.contentType());
            writeBytes(out, item.payload());
            writeString(out, item.configJson());
            out.writeLong(item.dispatchedAtMillis());
            if (headers) {
                writeHeaders(out, item.headers());
            }
            if (traced) {
                writeString(out, item.traceparent().toString());
            }
        });
    }

    public static WorkItem decodeWorkItem(byte[] bytes) {
        return read(bytes, WORK_ITEM_V2, WORK_ITEM_V4, (in, format) -> {
            String destination = readString(in);
            int incarnation = in.readInt();
            long sequence = in.readLong();
            UUID messageId = readUuid(in);
            String contentType = readString(in);
            byte[] payload = readBytes(in);
            String configJson = readString(in);
            long dispatchedAt = in.readLong();
            Map<String, String> headers = format >= WORK_ITEM_V3 ? readHeaders(in) : Map.of();
            Traceparent traceparent = format >= WORK_ITEM_V4 ? Traceparent.parse(readString(in)) : null;
            return new WorkItem(destination, incarnation, sequence, messageId, contentType, payload, headers,
                    configJson, dispatchedAt, traceparent);
        });
    }

    public static byte[] encode(TransformResult result) {
        boolean traced = result.traceparent() != null;
        boolean headers = traced || !result.headers().isEmpty();
        return write(96 + result.payload().length, out -> {
            out.writeByte(traced ? RESULT_V3 : headers ? RESULT_V2 : RESULT_V1);
            out.writeLong(result.sequence());
            writeUuid(out, result.messageId());
            out.writeBoolean(result.ok());
            writeString(out, result.contentType());
            writeBytes(out, result.payload());
            writeString(out, result.error());
            out.writeInt(result.attempts());
            out.writeLong(result.completedAtMillis());
            if (headers) {
                writeHeaders(out, result.headers());
            }
            if (traced) {
                writeString(out, result.traceparent().toString());
            }
        });
    }

    public static TransformResult decodeResult(byte[] bytes) {
        return read(bytes, RESULT_V1, RESULT_V3, (in, format) -> {
            long sequence = in.readLong();
            UUID messageId = readUuid(in);
            boolean ok = in.readBoolean();
            String contentType = readString(in);
            byte[] payload = readBytes(in);
            String error = readString(in);
            int attempts = in.readInt();
            long completedAt = in.readLong();
            Map<String, String> headers = format >= RESULT_V2 ? readHeaders(in) : Map.of();
            Traceparent traceparent = format >= RESULT_V3 ? Traceparent.parse(readString(in)) : null;
            return new TransformResult(sequence, messageId, ok, contentType, payload, headers, error, attempts,
                    completedAt, traceparent);
        });
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in, byte format) throws IOException;
    }

    private static byte[] write(int sizeHint, Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(sizeHint);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads a value of a format from {@code earliest} to {@code latest}. */
    private static <T> T read(byte[] bytes, byte earliest, byte latest, Reader<T> reader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte actual = in.readByte();
            if (actual < earliest || actual > latest) {
                throw new IllegalArgumentException("Unknown format " + actual + ", expected " + earliest + " to "
                        + latest);
            }
            return reader.read(in, actual);
        } catch (IOException e) {
            throw new IllegalArgumentException("Truncated or corrupt value", e);
        }
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        writeBytes(out, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String readString(DataInputStream in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("Negative length " + length);
        }
        byte[] value = in.readNBytes(length);
        if (value.length != length) {
            throw new IOException("Expected " + length + " bytes, found " + value.length);
        }
        return value;
    }

    private static void writeHeaders(DataOutputStream out, Map<String, String> headers) throws IOException {
        out.writeInt(headers.size());
        for (Map.Entry<String, String> header : headers.entrySet()) {
            writeString(out, header.getKey());
            writeString(out, header.getValue());
        }
    }

    private static Map<String, String> readHeaders(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("Negative header count " + count);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            headers.put(readString(in), readString(in));
        }
        return headers;
    }

    private static void writeUuid(DataOutputStream out, UUID value) throws IOException {
        out.writeLong(value.getMostSignificantBits());
        out.writeLong(value.getLeastSignificantBits());
    }

    private static UUID readUuid(DataInputStream in) throws IOException {
        return new UUID(in.readLong(), in.readLong());
    }
}
