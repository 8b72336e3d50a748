-- Takes over work stream entries another consumer left unacknowledged for at least the idle
-- time, atomically (XAUTOCLAIM checks the idle time and changes the owner in one step).
-- KEYS[1] work stream
-- ARGV[1] group, ARGV[2] consumer, ARGV[3] min idle time (ms), ARGV[4] cursor, ARGV[5] count,
-- ARGV[6] the field holding the encoded work item
-- Returns { next cursor, { id, value or nil, id, value or nil, ... }, { deleted id, ... } }.
--
-- JUSTID, then XRANGE per id: Redis 6.2 reports an entry deleted while pending as a bare nil
-- without its id (and keeps it pending forever); claiming ids first lets every version name it,
-- so it can be acknowledged away. Redis 7 also lists such ids itself as a third element.
local reply = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], 'COUNT', ARGV[5], 'JUSTID')
local entries = {}
local deleted = {}
if reply[3] then
    for _, id in ipairs(reply[3]) do
        table.insert(deleted, id)
    end
end
for _, id in ipairs(reply[2]) do
    local found = redis.call('XRANGE', KEYS[1], id, id)
    if #found == 0 then
        table.insert(deleted, id)
    else
        local fields = found[1][2]
        local value = false
        for i = 1, #fields, 2 do
            if fields[i] == ARGV[6] then
                value = fields[i + 1]
            end
        end
        table.insert(entries, id)
        table.insert(entries, value)
    end
end
if #deleted > 0 then
    local ack = { 'XACK', KEYS[1], ARGV[1] }
    for _, id in ipairs(deleted) do
        table.insert(ack, id)
    end
    redis.call(unpack(ack))
end
return { reply[1], entries, deleted }
