package org.reseq.bench.jmh;

import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.reseq.model.redis.Codec;
import org.reseq.model.redis.TransformResult;
import org.reseq.model.redis.WorkItem;

/** The Redis codecs of what every message passes through twice: its work item and its result. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {

    /** A small message and a large one. */
    @Param({"256", "4096"})
    public int payloadBytes;

    private WorkItem item;
    private TransformResult result;
    private byte[] encodedItem;
    private byte[] encodedResult;

    @Setup
    public void setUp() {
        byte[] payload = new byte[payloadBytes];
        new SplittableRandom(42).nextBytes(payload);
        UUID messageId = UUID.randomUUID();
        String config = "{\"transforms\":[{\"type\":\"http\",\"url\":\"http://transform.internal/enrich\"}]}";
        item = new WorkItem("orders-eu", 7, 1_234_567, messageId, "application/json", payload, config,
                1_780_000_000_000L);
        result = TransformResult.success(item, "application/json", payload, item.headers(), 1,
                1_780_000_000_750L);
        encodedItem = Codec.encode(item);
        encodedResult = Codec.encode(result);
    }

    @Benchmark
    public byte[] encodeWorkItem() {
        return Codec.encode(item);
    }

    @Benchmark
    public WorkItem decodeWorkItem() {
        return Codec.decodeWorkItem(encodedItem);
    }

    @Benchmark
    public byte[] encodeResult() {
        return Codec.encode(result);
    }

    @Benchmark
    public TransformResult decodeResult() {
        return Codec.decodeResult(encodedResult);
    }
}
