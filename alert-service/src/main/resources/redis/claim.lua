-- Takes up to ARGV[3] due deliveries and pushes their due time to the lease end, so that a
-- delivery whose worker dies is picked up again after the lease.
-- KEYS: 1 due zset; ARGV: 1 now ms, 2 lease end ms, 3 limit
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])
for _, id in ipairs(ids) do
  redis.call('ZADD', KEYS[1], ARGV[2], id)
end
return ids
