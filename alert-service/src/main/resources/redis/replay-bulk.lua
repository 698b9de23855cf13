-- Replays up to ARGV[3] parked deliveries of one parked set (all, or one subscription's) whose
-- parked time is in [ARGV[1], ARGV[2]], starting at offset ARGV[8]: each goes back on the
-- schedule with a fresh set of attempts and a fresh retry horizon, as replay.lua does.
-- With ARGV[4] = '1', deliveries parked after a permanent failure are left parked.
-- KEYS: 1 parked set to read, 2 due zset, 3 parked zset (all)
-- ARGV: 1 min parked ms, 2 max parked ms, 3 limit, 4 skip permanent, 5 delivery key prefix,
--       6 subscription parked key prefix, 7 now ms, 8 offset
-- Returns {replayed, left, examined}: left counts the examined deliveries still parked.
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[2], 'LIMIT', ARGV[8], ARGV[3])
local replayed = 0
local left = 0
for _, id in ipairs(ids) do
  local key = ARGV[5] .. id
  local fields = redis.call('HMGET', key, 'subscriptionId', 'attempts', 'parkedBy')
  local subscription, attempts, parkedBy = fields[1], fields[2], fields[3]
  if not subscription then
    redis.call('ZREM', KEYS[3], id)
    redis.call('ZREM', KEYS[1], id)
  elseif not (ARGV[4] == '1' and parkedBy == 'permanent') then
    redis.call('ZREM', KEYS[3], id)
    redis.call('ZREM', ARGV[6] .. subscription, id)
    local base = #cjson.decode(attempts or '[]')
    redis.call('HSET', key, 'status', 'pending', 'attemptBase', base, 'since', ARGV[7],
      'parkedBy', '', 'parkNote', '')
    redis.call('ZADD', KEYS[2], ARGV[7], id)
    replayed = replayed + 1
  else
    left = left + 1
  end
end
return {replayed, left, #ids}
