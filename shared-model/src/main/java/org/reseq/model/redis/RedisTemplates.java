package org.reseq.model.redis;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;

/** The one Redis template shape every service uses: text keys and fields, binary values. */
public final class RedisTemplates {

    private RedisTemplates() {
    }

    public static RedisTemplate<String, byte[]> binary(RedisConnectionFactory connectionFactory) {
        RedisTemplate<String, byte[]> template = new RedisTemplate<>();
        template.setConnectionFactory(connectionFactory);
        template.setKeySerializer(RedisSerializer.string());
        template.setHashKeySerializer(RedisSerializer.string());
        template.setValueSerializer(RedisSerializer.byteArray());
        template.setHashValueSerializer(RedisSerializer.byteArray());
        template.setEnableDefaultSerializer(false);
        template.afterPropertiesSet();
        return template;
    }
}
