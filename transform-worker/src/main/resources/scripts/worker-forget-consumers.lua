-- Removes the worker group's consumers that are gone: every consumer but the caller that has been
-- idle for at least the given time and has no pending entries. XGROUP DELCONSUMER discards a
-- consumer's pending entries, so the check and the removal are one atomic step here: a consumer
-- that still has entries is left until the claim pass (worker-claim-idle.lua) has taken them over.
-- KEYS[1] work stream
-- ARGV[1] group, ARGV[2] the calling consumer (never removed), ARGV[3] min idle time (ms)
-- Returns { removed consumer name, ... }.
--
-- XINFO CONSUMERS describes each consumer as a flat list of field, value pairs: name, pending,
-- idle (ms since its last interaction) and, on Redis 7.2+, inactive. They are read by name, so the
-- order and any further fields do not matter.
local minIdle = tonumber(ARGV[3])
local removed = {}
for _, fields in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
    local consumer = {}
    for i = 1, #fields, 2 do
        consumer[fields[i]] = fields[i + 1]
    end
    if consumer['name'] ~= ARGV[2] and consumer['pending'] == 0 and consumer['idle'] >= minIdle then
        redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], consumer['name'])
        table.insert(removed, consumer['name'])
    end
end
return removed
