-- Appends work items to the work stream in one round trip.
-- KEYS[1] the work stream   ARGV[1] the entry's field name   ARGV[2..n] encoded work items
for i = 2, #ARGV do
  redis.call('XADD', KEYS[1], '*', ARGV[1], ARGV[i])
end
return #ARGV - 1
