-- A fingerprint of one destination's keys, for the leader sweep: it changes whenever a key changes
-- in a way a quiet leader must act on. A string gives its value, a list its length, a stream its
-- newest entry id and length, a key that does not exist "-". All KEYS share one hash tag.
local parts = {}
for i, key in ipairs(KEYS) do
  local kind = redis.call('TYPE', key)['ok']
  if kind == 'string' then
    parts[i] = 'v' .. redis.call('GET', key)
  elseif kind == 'list' then
    parts[i] = 'l' .. redis.call('LLEN', key)
  elseif kind == 'stream' then
    local newest = redis.call('XREVRANGE', key, '+', '-', 'COUNT', 1)
    parts[i] = 's' .. (newest[1] and newest[1][1] or '') .. ':' .. redis.call('XLEN', key)
  elseif kind == 'none' then
    parts[i] = '-'
  else
    parts[i] = kind
  end
end
return table.concat(parts, ',')
