-- Counts an event in a window: the first count of a key starts its time to live.
-- KEYS: 1 counter; ARGV: 1 window (ms). Returns {count, milliseconds left in the window}.
local n = redis.call('INCR', KEYS[1])
if n == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return {n, redis.call('PTTL', KEYS[1])}
