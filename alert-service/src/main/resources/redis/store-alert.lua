-- Stores one alert for the console, exactly once per alertId (the alert key doubles as dedup marker).
-- KEYS: 1 alert key, 2 global stream, 3 rule stream, 4 per-day counters hash, 5 set of rule ids
-- ARGV: 1 alert json, 2 alert ttl (s), 3 stream maxlen, 4 rule stream maxlen, 5 minute field "HH:mm",
--       6 counters ttl (s), 7 live channel, 8 alertId, 9 ruleId, 10 severity, 11 detectedAt
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then
  return 0
end
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*',
  'alertId', ARGV[8], 'ruleId', ARGV[9], 'severity', ARGV[10], 'detectedAt', ARGV[11], 'alert', ARGV[1])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[4], '*',
  'alertId', ARGV[8], 'severity', ARGV[10], 'detectedAt', ARGV[11], 'streamId', id)
redis.call('HINCRBY', KEYS[4], ARGV[5], 1)
redis.call('EXPIRE', KEYS[4], ARGV[6])
redis.call('SADD', KEYS[5], ARGV[9])
redis.call('PUBLISH', ARGV[7], ARGV[1])
return 1
