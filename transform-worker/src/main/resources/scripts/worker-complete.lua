-- Completes one work stream entry in one round trip: stores its result in the destination's
-- done buffer, signals the resequencer, then acknowledges and deletes the entry. Atomic, so the
-- entry is never acknowledged without its result stored.
--
-- KEYS[1] done:{incarnation}   KEYS[2] the work stream   KEYS[3] fence:{incarnation}
-- ARGV[1] sequence (hash field)  ARGV[2] encoded result  ARGV[3] '1' success / '0' failure
-- ARGV[4] consumer group  ARGV[5] entry id  ARGV[6] done channel  ARGV[7] done signal
--
-- The result is stored only while its incarnation's fence exists: a resequencer leader claims it
-- before it dispatches anything, and it goes when the destination is deleted (or Redis lost the
-- destination's data, after which the leader dispatches everything again). So a transform that
-- finishes after its destination was deleted, or deleted and created again, leaves nothing behind.
-- A failure is stored only where no result exists (HSETNX): a failed duplicate never overwrites
-- the success of another copy, and then nothing is signalled.
-- Returns 1 when the result was stored, 0 when a failure was not, -1 when the fence is gone.
local stored
if redis.call('EXISTS', KEYS[3]) == 0 then
  stored = -1
elseif ARGV[3] == '1' then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  stored = 1
else
  stored = redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
end
if stored == 1 then
  redis.call('PUBLISH', ARGV[6], ARGV[7])
end
redis.call('XACK', KEYS[2], ARGV[4], ARGV[5])
redis.call('XDEL', KEYS[2], ARGV[5])
return stored
