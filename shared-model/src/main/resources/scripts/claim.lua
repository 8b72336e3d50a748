-- A new leader claims a fence key of its destination: sets it to its epoch unless a higher
-- epoch holds it. From then on every fenced script refuses older leaders (the resequencer's
-- release, a command taken from a queue).
-- KEYS[1] fence; ARGV[1] the leader's epoch
-- Returns -1 when a higher epoch holds the fence (nothing changed), 0 when the fence was missing
-- (Redis may have lost this destination's data), 1 when it held this or an older epoch.
local stored = redis.call('GET', KEYS[1])
if stored and tonumber(stored) > tonumber(ARGV[1]) then
    return -1
end
redis.call('SET', KEYS[1], ARGV[1])
if stored then
    return 1
end
return 0
