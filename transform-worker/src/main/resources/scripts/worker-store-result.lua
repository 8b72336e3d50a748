-- Stores one work item's result in its destination's done buffer and signals the resequencer.
-- Every key is the destination's (one hash slot on a Redis Cluster); acknowledging the work
-- stream entry is the caller's next, separate call (RedisWorkStream.acknowledgeAndDelete).
--
-- KEYS[1] done:{incarnation}   KEYS[2] fence:{incarnation}
-- ARGV[1] sequence (hash field)  ARGV[2] encoded result  ARGV[3] '1' success / '0' failure
-- ARGV[4] done channel  ARGV[5] done signal
--
-- The result is stored only while its incarnation's fence exists: a resequencer leader claims it
-- before it dispatches anything, and it goes when the destination is deleted (or Redis lost the
-- destination's data, after which the leader dispatches everything again). So a transform that
-- finishes after its destination was deleted, or deleted and created again, leaves nothing behind.
-- A failure is stored only where no result exists (HSETNX): a failed duplicate never overwrites
-- the success of another copy, and then nothing is signalled.
-- Returns 1 when the result was stored, 0 when a failure was not, -1 when the fence is gone.
if redis.call('EXISTS', KEYS[2]) == 0 then
  return -1
end
local stored
if ARGV[3] == '1' then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  stored = 1
else
  stored = redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
end
if stored == 1 then
  redis.call('PUBLISH', ARGV[4], ARGV[5])
end
return stored
