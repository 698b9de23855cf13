-- Writes (or, with no ARGV[3], deletes) one field of a configuration hash and sets a new
-- configuration version in the same atomic step, so that no instance can keep a cached copy of
-- the old value: caches compare the version once per batch and reload when it changed. The
-- version is a fresh random token, not a counter: a Redis that lost its data (restart without
-- persistence) and then took one write would count up to a value a cache may already hold.
-- KEYS: 1 hash, 2 version key; ARGV: 1 new version token, 2 field, 3 value (absent: delete)
local changed
if ARGV[3] then
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
  changed = 1
else
  changed = redis.call('HDEL', KEYS[1], ARGV[2])
end
if changed > 0 then
  redis.call('SET', KEYS[2], ARGV[1])
end
return changed
