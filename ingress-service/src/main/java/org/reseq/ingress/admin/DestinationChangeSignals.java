package org.reseq.ingress.admin;

import org.reseq.model.redis.RedisKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Tells the resequencers and egresses that a destination was created, changed (configuration,
 * pause flag, an operator command queued) or deleted: its leaders start or stop now instead of at
 * their next lease tick, and a running leader reads the destination now instead of at its next
 * poll, which for an idle destination may be seconds away. A hint only: when it is lost, the next
 * tick or poll does the same.
 */
@Component
class DestinationChangeSignals {

    private static final Logger log = LoggerFactory.getLogger(DestinationChangeSignals.class);

    private final StringRedisTemplate redis;
    private final RedisKeys keys;

    DestinationChangeSignals(StringRedisTemplate redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    void changed(String destination) {
        try {
            redis.convertAndSend(keys.destinationsChannel(), destination);
        } catch (RuntimeException e) {
            log.debug("Could not signal the change of destination {}: {}", destination, e.toString());
        }
    }
}
