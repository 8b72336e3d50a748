-- A leader's look at its destination's keys at every poll.
-- KEYS[1] fence, KEYS[2] rewind request; ARGV[1] the leader's epoch
-- Returns -1 when a higher epoch holds the fence (the request, if any, is left for that leader);
-- 0 when the fence is missing or lower than the leader's epoch: Redis lost this destination's data
-- (a rewind request is taken as well, the rewind covers it); 1 when the fence is the leader's and
-- no rewind was requested; 2 when it is and a rewind was requested (the request is taken).
local stored = redis.call('GET', KEYS[1])
local epoch = tonumber(ARGV[1])
if stored and tonumber(stored) > epoch then
    return -1
end
local requested = redis.call('DEL', KEYS[2])
if not stored or tonumber(stored) < epoch then
    return 0
end
if requested > 0 then
    return 2
end
return 1
