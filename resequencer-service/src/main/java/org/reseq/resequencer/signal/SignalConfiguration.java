package org.reseq.resequencer.signal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.reseq.model.leader.Mailboxes;
import org.reseq.model.redis.RedisKeys;
import org.reseq.resequencer.lead.LeaseTicker;
import org.reseq.resequencer.lead.Wakeup;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * One pub/sub subscription for the signals every leader of this instance listens to, and for the
 * destinations changed through the admin API: the lease ticker takes or lets go of a created or
 * deleted one at once, and the leader of a changed one polls at once.
 */
@Configuration(proxyBeanMethods = false)
class SignalConfiguration {

    @Bean
    RedisMessageListenerContainer signalListenerContainer(RedisConnectionFactory connectionFactory, RedisKeys keys,
                                                          Mailboxes<Wakeup> mailboxes, LeaseTicker leaseTicker) {
        SignalListener listener = new SignalListener(keys, mailboxes);
        List<ChannelTopic> topics = new ArrayList<>();
        listener.channels().forEach(channel -> topics.add(new ChannelTopic(channel)));
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connectionFactory);
        // the listener decodes and enqueues without blocking: no thread per message needed
        container.setTaskExecutor(new SyncTaskExecutor());
        container.addMessageListener(listener, topics);
        container.addMessageListener((message, pattern) -> {
            leaseTicker.tickSoon();
            String destination = new String(message.getBody(), StandardCharsets.UTF_8);
            mailboxes.route(destination, Wakeup.changed(destination));
        }, new ChannelTopic(keys.destinationsChannel()));
        return container;
    }
}
