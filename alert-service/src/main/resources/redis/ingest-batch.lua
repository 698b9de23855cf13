-- Stores a whole Kafka poll of alerts and admits every (alert, subscription) notification the
-- router chose, in record order, in one atomic script: one round trip per batch instead of several
-- per alert, and a crash leaves either all of the batch's effects or none of them. A redelivered
-- batch (at-least-once input) changes nothing: the alert key and the idempotency key are the dedup
-- markers, exactly as in the former per-alert scripts.
--
-- KEYS: 1 global stream, 2 set of rule ids, 3 due zset, 4 groups due zset,
--       then per alert (3): alert key, rule stream, per-day counters hash,
--       then per notification (6): idempotency key, throttle key, throttle suppressed counter,
--       delivery hash, group list, group suppressed counter
-- ARGV: 1 alert ttl (s), 2 stream maxlen, 3 rule stream maxlen, 4 counters ttl (s), 5 live channel,
--       6 idempotency ttl ms, 7 now ms, 8 number of alerts, 9 number of notifications,
--       10 the most alerts one open group may hold (later ones are dropped and counted),
--       then per alert (6): alert json, minute field "HH:mm", alertId, ruleId, severity, detectedAt,
--       then per notification (7): alert index (1-based), throttle ms (0 = off),
--       group window ms (0 = off), subscription id, idempotency header value, group member,
--       delivery id
-- Returns: per alert '1' (stored) or '0' (seen before), then per notification one of
--          'duplicate', 'throttled', 'grouped', 'dropped' (group full), 'scheduled'.
local alerts = tonumber(ARGV[8])
local notifications = tonumber(ARGV[9])
local out = {}

for i = 0, alerts - 1 do
  local k = 4 + i * 3
  local a = 10 + i * 6
  if redis.call('SET', KEYS[k + 1], ARGV[a + 1], 'NX', 'EX', ARGV[1]) then
    local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*',
      'alertId', ARGV[a + 3], 'ruleId', ARGV[a + 4], 'severity', ARGV[a + 5],
      'detectedAt', ARGV[a + 6], 'alert', ARGV[a + 1])
    redis.call('XADD', KEYS[k + 2], 'MAXLEN', '~', ARGV[3], '*',
      'alertId', ARGV[a + 3], 'severity', ARGV[a + 5], 'detectedAt', ARGV[a + 6], 'streamId', id)
    redis.call('HINCRBY', KEYS[k + 3], ARGV[a + 2], 1)
    redis.call('EXPIRE', KEYS[k + 3], ARGV[4])
    redis.call('SADD', KEYS[2], ARGV[a + 4])
    redis.call('PUBLISH', ARGV[5], ARGV[a + 1])
    out[#out + 1] = '1'
  else
    out[#out + 1] = '0'
  end
end

local function admit(k, a)
  local idem, throttle, throttled, delivery, group, groupSuppressed =
    KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4], KEYS[k + 5], KEYS[k + 6]
  local alertJson = ARGV[10 + (tonumber(ARGV[a + 1]) - 1) * 6 + 1]
  if redis.call('EXISTS', idem) == 1 then
    return 'duplicate'
  end
  redis.call('SET', idem, '1', 'PX', ARGV[6])
  local suppressed = 0
  if tonumber(ARGV[a + 2]) > 0 then
    if not redis.call('SET', throttle, '1', 'NX', 'PX', ARGV[a + 2]) then
      redis.call('INCR', throttled)
      redis.call('PEXPIRE', throttled, ARGV[6])
      return 'throttled'
    end
    suppressed = tonumber(redis.call('GET', throttled) or '0')
    redis.call('DEL', throttled)
  end
  if tonumber(ARGV[a + 3]) > 0 then
    if redis.call('LLEN', group) >= tonumber(ARGV[10]) then
      -- The group is full: this notification is swallowed like a throttled one, and the
      -- group's notification says how many were.
      redis.call('INCRBY', groupSuppressed, 1 + suppressed)
      return 'dropped'
    end
    redis.call('RPUSH', group, alertJson)
    if suppressed > 0 then
      redis.call('INCRBY', groupSuppressed, suppressed)
    end
    redis.call('ZADD', KEYS[4], 'NX', tonumber(ARGV[7]) + tonumber(ARGV[a + 3]), ARGV[a + 6])
    return 'grouped'
  end
  redis.call('HSET', delivery, 'id', ARGV[a + 7], 'subscriptionId', ARGV[a + 4],
    'idempotencyKey', ARGV[a + 5], 'alerts', '[' .. alertJson .. ']', 'suppressed', suppressed,
    'attempts', '[]', 'attemptBase', 0, 'status', 'pending', 'createdAt', ARGV[7])
  redis.call('ZADD', KEYS[3], ARGV[7], ARGV[a + 7])
  return 'scheduled'
end

for j = 0, notifications - 1 do
  out[#out + 1] = admit(4 + alerts * 3 + j * 6, 10 + alerts * 6 + j * 7)
end
return out
