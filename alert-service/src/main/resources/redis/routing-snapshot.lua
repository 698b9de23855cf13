-- Reads the configuration version together with every subscription and silence, atomically, so
-- that a cached copy is never older than the version it is tagged with.
-- KEYS: 1 version counter, 2 subscriptions hash, 3 silences hash
-- Returns: version, number of subscriptions, the subscription JSONs, then the silence JSONs.
local out = { redis.call('GET', KEYS[1]) or '0' }
local subscriptions = redis.call('HVALS', KEYS[2])
out[2] = tostring(#subscriptions)
for _, s in ipairs(subscriptions) do
  out[#out + 1] = s
end
for _, s in ipairs(redis.call('HVALS', KEYS[3])) do
  out[#out + 1] = s
end
return out
