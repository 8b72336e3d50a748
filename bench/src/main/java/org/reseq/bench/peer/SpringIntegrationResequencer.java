package org.reseq.bench.peer;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.aggregator.ResequencingMessageGroupProcessor;
import org.springframework.integration.aggregator.ResequencingMessageHandler;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.messaging.Message;

/**
 * One {@link ResequencingMessageHandler} for every destination: the destination is the correlation
 * id, the sequence the sequence number, partial sequences are released as soon as they are
 * contiguous. Its output channel is a {@link DirectChannel} whose subscriber records the delivery,
 * on the thread that released it.
 */
final class SpringIntegrationResequencer implements Resequencer {

    static final String DESTINATION = "destination";

    private final AnnotationConfigApplicationContext context;
    private final MessageStores.Opened store;
    private final ResequencingMessageHandler handler;

    private SpringIntegrationResequencer(AnnotationConfigApplicationContext context, MessageStores.Opened store,
            ResequencingMessageHandler handler) {
        this.context = context;
        this.store = store;
        this.handler = handler;
    }

    static SpringIntegrationResequencer start(MessageStores.Opened store, RunRecorder recorder) {
        DirectChannel output = new DirectChannel();
        output.subscribe(message -> recorder.delivered(message.getHeaders().get(DESTINATION, Integer.class),
                (Long) message.getPayload()));
        ResequencingMessageHandler handler =
                new ResequencingMessageHandler(new ResequencingMessageGroupProcessor(), store.store());
        handler.setReleasePartialSequences(true);
        handler.setOutputChannel(output);
        // The handler expects the infrastructure beans @EnableIntegration registers.
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(Infrastructure.class);
        try {
            handler.setBeanFactory(context.getBeanFactory());
            handler.afterPropertiesSet();
            handler.start();
            return new SpringIntegrationResequencer(context, store, handler);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    @Override
    public void accept(int destination, long sequence) {
        Message<Long> message = MessageBuilder.withPayload(sequence)
                .setCorrelationId("d" + destination)
                .setSequenceNumber(Math.toIntExact(sequence))
                .setHeader(DESTINATION, destination)
                .build();
        handler.handleMessage(message);
    }

    @Override
    public void close() throws Exception {
        try {
            handler.stop();
            context.close();
        } finally {
            store.close();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableIntegration
    static class Infrastructure {
    }
}
