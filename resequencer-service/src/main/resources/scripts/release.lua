-- Moves the run ARGV[2]..ARGV[3] of finished results from the done hash to the out stream, in
-- order, atomically, unless this destination's Redis data is not the leader's to write.
-- KEYS[1] done hash, KEYS[2] out stream, KEYS[3] fence
-- ARGV[1] the leader's epoch, ARGV[2] first sequence, ARGV[3] last sequence, ARGV[4] stream field,
-- ARGV[5] the released channel, ARGV[6] the destination,
-- ARGV[7] (optional) a result that replaces whatever the first sequence has, in the same atomic
-- step: an operator's skip must go out as the placeholder even if a worker writes a result late.
-- When results moved, it publishes the released signal '<destination>:<released cursor>' on the
-- released channel, so that egress wakes without a round trip of the leader's own.
-- Returns -1 when a resequencer with a higher epoch has claimed the fence (this leader is stale);
-- -2 when the fence is missing or lower than the epoch the leader claimed it with: Redis lost this
-- destination's data (restart, flush, failover to a stale replica) and the leader must rewind;
-- else how many results moved: fewer than asked when one is missing.
local stored = redis.call('GET', KEYS[3])
if not stored then
    return -2
end
local fence = tonumber(stored)
local epoch = tonumber(ARGV[1])
if fence > epoch then
    return -1
end
if fence < epoch then
    return -2
end
if ARGV[7] then
    redis.call('HSET', KEYS[1], string.format('%d', tonumber(ARGV[2])), ARGV[7])
end
local released = 0
for sequence = tonumber(ARGV[2]), tonumber(ARGV[3]) do
    -- %d, not tostring: tostring prints large numbers in exponent notation
    local field = string.format('%d', sequence)
    local result = redis.call('HGET', KEYS[1], field)
    if not result then
        break
    end
    redis.call('XADD', KEYS[2], '*', ARGV[4], result)
    redis.call('HDEL', KEYS[1], field)
    released = released + 1
end
if released > 0 then
    redis.call('PUBLISH', ARGV[5], ARGV[6] .. ':' .. string.format('%d', tonumber(ARGV[2]) + released - 1))
end
return released
