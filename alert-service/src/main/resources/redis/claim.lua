-- Takes up to ARGV[3] due deliveries and pushes their due time to the lease end, so that a
-- delivery whose worker dies is picked up again after the lease. Returns each claimed delivery
-- with its hash, so that the worker needs no separate load per delivery:
-- id, number of hash fields and values (0 if the hash is gone), field, value, field, value, …
-- KEYS: 1 due zset; ARGV: 1 now ms, 2 lease end ms, 3 limit, 4 delivery key prefix
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])
local out = {}
for _, id in ipairs(ids) do
  redis.call('ZADD', KEYS[1], ARGV[2], id)
  local h = redis.call('HGETALL', ARGV[4] .. id)
  out[#out + 1] = id
  out[#out + 1] = tostring(#h)
  for _, v in ipairs(h) do
    out[#out + 1] = v
  end
end
return out
