-- Takes the first entry of a leader's queue (operator commands, redeliveries) only while the
-- leader's epoch holds the fence, so that two holders never both take, or both drop, one entry.
-- KEYS[1] the list, KEYS[2] the fence; ARGV[1] the leader's epoch
-- Returns {-1} when a higher epoch holds the fence (nothing taken), {0} when the fence is missing
-- or lower (Redis lost data; nothing taken), {1} when nothing waits, {1, entry} when one was taken.
local stored = redis.call('GET', KEYS[2])
local epoch = tonumber(ARGV[1])
if stored and tonumber(stored) > epoch then
    return {-1}
end
if not stored or tonumber(stored) < epoch then
    return {0}
end
local entry = redis.call('LPOP', KEYS[1])
if not entry then
    return {1}
end
return {1, entry}
