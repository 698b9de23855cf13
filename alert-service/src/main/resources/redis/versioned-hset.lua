-- Writes, replaces or deletes one field of a configuration hash and sets a new configuration
-- version in the same atomic step, so that no instance can keep a cached copy of the old value:
-- caches compare the version once per batch and reload when it changed. The version is a fresh
-- random token, not a counter: a Redis that lost its data (restart without persistence) and then
-- took one write would count up to a value a cache may already hold.
-- KEYS: 1 hash, 2 version key
-- ARGV: 1 new version token, 2 field, 3 'put' | 'replace' | 'delete', 4 value,
--       5 put: the most fields the hash may hold (0: no cap); replace: the expected current value
-- Returns: put: 1, or -1 if the field is new and the hash is full; replace: 1, or 0 if the field
-- no longer holds the expected value; delete: the number of fields removed.
local changed
if ARGV[3] == 'put' then
  local cap = tonumber(ARGV[5])
  if cap > 0 and redis.call('HEXISTS', KEYS[1], ARGV[2]) == 0
      and redis.call('HLEN', KEYS[1]) >= cap then
    return -1
  end
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[4])
  changed = 1
elseif ARGV[3] == 'replace' then
  if redis.call('HGET', KEYS[1], ARGV[2]) ~= ARGV[5] then
    return 0
  end
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[4])
  changed = 1
else
  changed = redis.call('HDEL', KEYS[1], ARGV[2])
end
if changed > 0 then
  redis.call('SET', KEYS[2], ARGV[1])
end
return changed
