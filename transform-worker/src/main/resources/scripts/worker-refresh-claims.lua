-- Resets the idle time of the entries a consumer is still working on, so that no other
-- consumer takes them over while it is alive. Only entries still pending for this consumer are
-- touched: one that another consumer has taken over meanwhile stays with that consumer.
-- KEYS[1] work stream
-- ARGV[1] group, ARGV[2] consumer, ARGV[3..] entry ids
-- Returns { { ids still pending for the consumer, now fresh again }, { ids pending for another } };
-- ids in neither list are no longer pending: they were acknowledged.
local mine = {}
local taken = {}
for i = 3, #ARGV do
    local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
    if #pending > 0 then
        if pending[1][2] == ARGV[2] then
            table.insert(mine, ARGV[i])
        else
            table.insert(taken, ARGV[i])
        end
    end
end
if #mine > 0 then
    -- JUSTID: the idle time is reset without fetching the entries or counting a delivery.
    local claim = { 'XCLAIM', KEYS[1], ARGV[1], ARGV[2], '0' }
    for _, id in ipairs(mine) do
        table.insert(claim, id)
    end
    table.insert(claim, 'JUSTID')
    redis.call(unpack(claim))
end
return { mine, taken }
