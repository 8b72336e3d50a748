package org.reseq.model.redis;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Binary codecs for what travels through Redis. Each value starts with a format byte, so a
 * later format can be read beside this one during a rolling upgrade.
 */
public final class Codec {

    /** V1 lacked the incarnation; V2 has it after the destination. */
    private static final byte WORK_ITEM_V2 = 2;
    private static final byte RESULT_V1 = 1;

    private Codec() {
    }

    public static byte[] encode(WorkItem item) {
        return write(128 + item.payload().length + item.configJson().length(), out -> {
            out.writeByte(WORK_ITEM_V2);
            writeString(out, item.destination());
            out.writeInt(item.incarnation());
            out.writeLong(item.sequence());
            writeUuid(out, item.messageId());
            writeString(out, item.contentType());
            writeBytes(out, item.payload());
            writeString(out, item.configJson());
            out.writeLong(item.dispatchedAtMillis());
        });
    }

    public static WorkItem decodeWorkItem(byte[] bytes) {
        return read(bytes, WORK_ITEM_V2, in -> new WorkItem(
                readString(in), in.readInt(), in.readLong(), readUuid(in), readString(in), readBytes(in),
                readString(in), in.readLong()));
    }

    public static byte[] encode(TransformResult result) {
        return write(96 + result.payload().length, out -> {
            out.writeByte(RESULT_V1);
            out.writeLong(result.sequence());
            writeUuid(out, result.messageId());
            out.writeBoolean(result.ok());
            writeString(out, result.contentType());
            writeBytes(out, result.payload());
            writeString(out, result.error());
            out.writeInt(result.attempts());
            out.writeLong(result.completedAtMillis());
        });
    }

    public static TransformResult decodeResult(byte[] bytes) {
        return read(bytes, RESULT_V1, in -> new TransformResult(
                in.readLong(), readUuid(in), in.readBoolean(), readString(in), readBytes(in), readString(in),
                in.readInt(), in.readLong()));
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
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

    private static <T> T read(byte[] bytes, byte format, Reader<T> reader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte actual = in.readByte();
            if (actual != format) {
                throw new IllegalArgumentException("Unknown format " + actual + ", expected " + format);
            }
            return reader.read(in);
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

    private static void writeUuid(DataOutputStream out, UUID value) throws IOException {
        out.writeLong(value.getMostSignificantBits());
        out.writeLong(value.getLeastSignificantBits());
    }

    private static UUID readUuid(DataInputStream in) throws IOException {
        return new UUID(in.readLong(), in.readLong());
    }
}
