package org.reseq.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.reseq.model.destination.TransformSpec;
import org.reseq.model.guard.AddressList;
import org.reseq.model.guard.AddressResolver;
import org.reseq.model.guard.DestinationGuard;
import org.reseq.model.guard.DestinationRules;
import org.reseq.model.guard.SuiteStores;
import org.reseq.transform.Transform;
import org.reseq.transform.TransformRequest;
import org.reseq.transform.TransformResponse;
import org.reseq.worker.transform.Transforms;

/**
 * The cost per message of a simple {@code jsonata} mapping through the worker's transform: read
 * the JSON payload, evaluate, write the result. The expression is parsed once, as the worker's
 * chain cache does; the order is about 1 KiB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JsonataBenchmark {

    /** Picks three fields and renames one. */
    static final String MAPPING = "{ 'orderId': id, 'customer': customer, 'total': total }";

    private Transforms transforms;
    private Transform mapping;
    private TransformRequest input;

    @Setup
    public void setUp() {
        // No http transform runs here: the guard only has to exist.
        DestinationGuard guard = new DestinationGuard(new DestinationRules(true, AddressList.EMPTY, AddressList.EMPTY,
                SuiteStores.NONE), AddressResolver.SYSTEM);
        transforms = Transforms.withDefaults(guard, 1024 * 1024);
        mapping = transforms.create(new TransformSpec.Jsonata(MAPPING));
        input = new TransformRequest(order(), "application/json", Map.of(), "orders-eu", 1_234_567, UUID.randomUUID());
    }

    @TearDown
    public void tearDown() {
        transforms.close();
    }

    /** On one warmed thread: the mapping alone. */
    @Benchmark
    public TransformResponse mapOrder() throws Exception {
        return mapping.apply(input);
    }

    /**
     * On a virtual thread of its own, started and joined, as the worker runs every attempt: this
     * adds the thread and the state the JSONata library sets up once per thread that evaluates.
     */
    @Benchmark
    public TransformResponse mapOrderOnItsOwnVirtualThread() throws Exception {
        AtomicReference<TransformResponse> output = new AtomicReference<>();
        Thread attempt = Thread.ofVirtual().start(() -> {
            try {
                output.set(mapping.apply(input));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        attempt.join();
        return output.get();
    }

    /** An order of about 1 KiB: a customer, an address, eight lines. */
    static byte[] order() {
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= 8; i++) {
            lines.append(i == 1 ? "" : ",").append("""
                    {"sku":"SKU-%05d","description":"Widget model %d, blue","quantity":%d,"unitPrice":%d.95}"""
                    .formatted(i * 1_117, i, i, 10 + i));
        }
        String order = """
                {"id":"ORD-2026-000123","createdAt":"2026-11-02T10:15:30Z","status":"PAID",\
                "customer":{"id":"C-991","name":"Ada Lovelace","email":"ada@example.org","tier":"gold"},\
                "shipping":{"street":"12 Analytical Row","city":"London","postcode":"N1 9GU","country":"GB"},\
                "lines":[%s],"total":110.75,"currency":"EUR","notes":"Leave at the door, ring twice."}"""
                .formatted(lines);
        return order.getBytes(StandardCharsets.UTF_8);
    }
}
