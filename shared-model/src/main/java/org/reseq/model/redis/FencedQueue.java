package org.reseq.model.redis;

import java.util.List;
import java.util.Optional;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseLostException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A leader's queue in Redis (a list the admin API appends to) whose entries only the holder of
 * the fence's epoch may take: taking checks the fence in the same script, so that a stale holder
 * can neither take an entry from its successor nor drop one it took.
 *
 * <p>Thread-safe (stateless apart from the thread-safe template).
 */
public final class FencedQueue {

    private static final RedisScript<Long> CLAIM = LuaScripts.load("scripts/claim.lua", Long.class);
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> POP = LuaScripts.load("scripts/fenced-pop.lua", List.class);

    private final StringRedisTemplate strings;

    public FencedQueue(StringRedisTemplate strings) {
        this.strings = strings;
    }

    /**
     * Puts {@code lease}'s epoch in {@code fenceKey} unless a higher one holds it.
     *
     * @throws LeaseLostException when a higher epoch holds it
     */
    public void claim(Lease lease, String fenceKey) {
        lease.ensureValid();
        Long answer = strings.execute(CLAIM, List.of(fenceKey), Long.toString(lease.epoch()));
        if (answer != null && answer < 0) {
            throw new LeaseLostException(lease, "a holder with a higher epoch claimed " + fenceKey);
        }
    }

    /**
     * Takes the first entry of {@code listKey} while {@code lease}'s epoch holds {@code fenceKey}.
     *
     * @param claimMissing whether a fence that went missing (Redis lost data) is claimed again and
     *        the entry taken; when false, nothing is taken and the caller learns of the loss its own way
     * @return the entry taken, empty when none waits (or the fence is missing and not to be claimed)
     * @throws LeaseLostException when the lease's term ended or a higher epoch holds the fence
     */
    public Optional<String> pop(Lease lease, String listKey, String fenceKey, boolean claimMissing) {
        for (int attempt = 0; attempt < 2; attempt++) {
            lease.ensureValid();
            List<?> answer = strings.execute(POP, List.of(listKey, fenceKey), Long.toString(lease.epoch()));
            long status = answer == null || answer.isEmpty() ? 0 : ((Number) answer.getFirst()).longValue();
            if (status < 0) {
                throw new LeaseLostException(lease, "a holder with a higher epoch claimed " + fenceKey);
            }
            if (status > 0) {
                return answer.size() > 1 ? Optional.of((String) answer.get(1)) : Optional.empty();
            }
            if (!claimMissing) {
                return Optional.empty();
            }
            claim(lease, fenceKey);
        }
        return Optional.empty();
    }
}
