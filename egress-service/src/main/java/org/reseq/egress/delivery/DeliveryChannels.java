package org.reseq.egress.delivery;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.reseq.model.destination.DestinationType;
import org.springframework.stereotype.Component;

/** Finds the channel that reaches a type of destination. Immutable, so thread-safe. */
@Component
public final class DeliveryChannels {

    private final Map<DestinationType, DeliveryChannel> byType = new EnumMap<>(DestinationType.class);

    public DeliveryChannels(List<DeliveryChannel> channels) {
        for (DeliveryChannel channel : channels) {
            if (byType.putIfAbsent(channel.type(), channel) != null) {
                throw new IllegalStateException("Two delivery channels for " + channel.type());
            }
        }
    }

    /** The channel for {@code type}, empty while that type cannot be delivered yet. */
    public Optional<DeliveryChannel> forType(DestinationType type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** Ends a delivery to {@code destination} in flight, whatever its type; see {@link DeliveryChannel#abort}. */
    public void abort(String destination) {
        byType.values().forEach(channel -> channel.abort(destination));
    }

    /** Lets every channel go of what it holds for {@code destination}; see {@link DeliveryChannel#release}. */
    public void release(String destination) {
        byType.values().forEach(channel -> channel.release(destination));
    }
}
