-- Puts a parked delivery back on the schedule with a fresh set of attempts and a fresh retry
-- horizon (history kept).
-- KEYS: 1 delivery hash, 2 due zset, 3 parked zset, 4 the subscription's parked zset
-- ARGV: 1 delivery id, 2 now ms, 3 attempt base
if redis.call('ZREM', KEYS[3], ARGV[1]) == 0 then
  return 0
end
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('HSET', KEYS[1], 'status', 'pending', 'attemptBase', ARGV[3], 'since', ARGV[2],
  'parkedBy', '', 'parkNote', '')
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1
