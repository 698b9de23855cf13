-- Keeps a test send in the subscription's history: the delivery hash, marked test, with its one
-- attempt, kept for the delivery retention and ranked in the subscription's recent zset like an
-- attempted delivery. It is never on the schedule, never parked, so never retried or replayed.
-- KEYS: 1 delivery hash, 2 the subscription's recent zset
-- ARGV: 1 delivery id, 2 subscription id, 3 alerts json, 4 status, 5 attempts json, 6 now ms,
--       7 retention ms, 8 recent deliveries kept
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'subscriptionId', ARGV[2], 'idempotencyKey', ARGV[1],
  'alerts', ARGV[3], 'suppressed', 0, 'attempts', ARGV[5], 'attemptBase', 0, 'status', ARGV[4],
  'createdAt', ARGV[6], 'test', '1')
redis.call('PEXPIRE', KEYS[1], ARGV[7])
redis.call('ZADD', KEYS[2], ARGV[6], ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[8]) + 1))
redis.call('PEXPIRE', KEYS[2], ARGV[7])
return 1
