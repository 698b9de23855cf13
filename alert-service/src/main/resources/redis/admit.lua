-- Decides, atomically and once per (subscription, alert), what happens to one notification:
-- duplicate (seen before), throttled (counted), grouped (appended to an open group) or scheduled.
-- Everything is in one script so that a crash cannot leave a throttle window taken without the
-- notification that took it, and a redelivered alert cannot be scheduled twice.
-- KEYS: 1 idempotency key, 2 throttle key, 3 throttle suppressed counter, 4 delivery hash,
--       5 due zset, 6 group list, 7 groups due zset, 8 group suppressed counter
-- ARGV: 1 idempotency ttl ms, 2 throttle ms (0 = off), 3 group window ms (0 = off), 4 now ms,
--       5 alert json, 6 subscription id, 7 idempotency header value, 8 group member, 9 delivery id
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 'duplicate'
end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
local suppressed = 0
if tonumber(ARGV[2]) > 0 then
  if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then
    redis.call('INCR', KEYS[3])
    redis.call('PEXPIRE', KEYS[3], ARGV[1])
    return 'throttled'
  end
  suppressed = tonumber(redis.call('GET', KEYS[3]) or '0')
  redis.call('DEL', KEYS[3])
end
if tonumber(ARGV[3]) > 0 then
  redis.call('RPUSH', KEYS[6], ARGV[5])
  if suppressed > 0 then
    redis.call('INCRBY', KEYS[8], suppressed)
  end
  redis.call('ZADD', KEYS[7], 'NX', tonumber(ARGV[4]) + tonumber(ARGV[3]), ARGV[8])
  return 'grouped'
end
redis.call('HSET', KEYS[4], 'id', ARGV[9], 'subscriptionId', ARGV[6], 'idempotencyKey', ARGV[7],
  'alerts', '[' .. ARGV[5] .. ']', 'suppressed', suppressed, 'attempts', '[]', 'attemptBase', 0,
  'status', 'pending', 'createdAt', ARGV[4])
redis.call('ZADD', KEYS[5], ARGV[4], ARGV[9])
return 'scheduled'
