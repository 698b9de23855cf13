-- Records the result of an attempt. delivered: leaves the schedule, kept for ARGV[5] ms;
-- parked: leaves the schedule for the parked set and the subscription's parked set, with the
-- reason; anything else: due again at ARGV[4].
-- Every call also ranks the delivery in the subscription's recent zset (by its last attempt),
-- trimmed to the newest ARGV[9] and kept for the retention: the subscription's history.
-- KEYS: 1 delivery hash, 2 due zset, 3 parked zset, 4 the subscription's parked zset,
--       5 the subscription's recent zset
-- ARGV: 1 delivery id, 2 status, 3 attempts json, 4 next due ms, 5 retention ms, 6 now ms,
--       7 park reason (parked only), 8 park note (parked only), 9 recent deliveries kept
-- Returns the number of parked deliveries of the subscription afterwards.
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'attempts', ARGV[3])
if ARGV[2] == 'delivered' then
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
elseif ARGV[2] == 'parked' then
  redis.call('HSET', KEYS[1], 'parkedBy', ARGV[7], 'parkNote', ARGV[8])
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('ZADD', KEYS[3], ARGV[6], ARGV[1])
  redis.call('ZADD', KEYS[4], ARGV[6], ARGV[1])
else
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
end
redis.call('ZADD', KEYS[5], ARGV[6], ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[5], 0, -(tonumber(ARGV[9]) + 1))
redis.call('PEXPIRE', KEYS[5], ARGV[5])
return redis.call('ZCARD', KEYS[4])
