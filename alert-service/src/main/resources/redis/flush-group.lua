-- Closes one group: its alerts become one delivery. Atomic, so an alert either lands in this
-- delivery or opens the next group; never both, never neither.
-- KEYS: 1 groups due zset, 2 group list, 3 group suppressed counter, 4 delivery hash, 5 due zset
-- ARGV: 1 group member, 2 now ms, 3 delivery id, 4 subscription id
local items = redis.call('LRANGE', KEYS[2], 0, -1)
redis.call('ZREM', KEYS[1], ARGV[1])
if #items == 0 then
  return 0
end
local suppressed = tonumber(redis.call('GET', KEYS[3]) or '0')
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('HSET', KEYS[4], 'id', ARGV[3], 'subscriptionId', ARGV[4], 'idempotencyKey', ARGV[3],
  'alerts', '[' .. table.concat(items, ',') .. ']', 'suppressed', suppressed, 'attempts', '[]',
  'attemptBase', 0, 'status', 'pending', 'createdAt', ARGV[2])
redis.call('ZADD', KEYS[5], ARGV[2], ARGV[3])
return #items
