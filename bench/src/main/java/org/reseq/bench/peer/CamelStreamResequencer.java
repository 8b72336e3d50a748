package org.reseq.bench.peer;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A Camel context with one route per destination: {@code direct:in-<d>} into a stream resequencer
 * on the {@value #SEQUENCE} header, whose ordered output records the delivery.
 */
final class CamelStreamResequencer implements Resequencer {

    static final String SEQUENCE = "seq";

    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final Endpoint[] inputs;

    private CamelStreamResequencer(CamelContext camel, Endpoint[] inputs) {
        this.camel = camel;
        this.producer = camel.createProducerTemplate();
        this.inputs = inputs;
    }

    static CamelStreamResequencer start(int destinations, int capacity, long timeoutMillis, RunRecorder recorder)
            throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.getShutdownStrategy().setTimeout(5);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int d = 0; d < destinations; d++) {
                    int destination = d;
                    from(uri(d)).routeId("resequence-" + d)
                            .resequence(header(SEQUENCE)).stream().capacity(capacity).timeout(timeoutMillis)
                            .process(exchange -> recorder.delivered(destination,
                                    exchange.getMessage().getHeader(SEQUENCE, Long.class)));
                }
            }
        });
        camel.start();
        Endpoint[] inputs = new Endpoint[destinations];
        for (int d = 0; d < destinations; d++) {
            inputs[d] = camel.getEndpoint(uri(d));
        }
        return new CamelStreamResequencer(camel, inputs);
    }

    private static String uri(int destination) {
        return "direct:in-" + destination;
    }

    @Override
    public void accept(int destination, long sequence) {
        producer.sendBodyAndHeader(inputs[destination], sequence, SEQUENCE, sequence);
    }

    @Override
    public void close() throws Exception {
        producer.close();
        camel.close();
    }
}
