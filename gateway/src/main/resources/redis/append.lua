-- Adds a message that did not come from the conversation's own connection (an agent, a reminder):
-- the next sequence number, the window, the durable log. Returns {"OK", seq, owner node or ""} or {"NONE"}.
-- KEYS: 1 state, 2 window, 3 log
-- ARGV: 1 merchant, 2 frame, 3 log record, 4 now, 5 ttl, 6 window size
local m = redis.call('HGET', KEYS[1], 'm')
if not m or m ~= ARGV[1] then
  return {'NONE'}
end
local s = redis.call('HINCRBY', KEYS[1], 's', 1)
redis.call('RPUSH', KEYS[2], '{"seq":' .. s .. ',' .. string.sub(ARGV[2], 2))
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[6]), -1)
redis.call('HSET', KEYS[1], 'ua', ARGV[4])
redis.call('XADD', KEYS[3], '*', 's', s, 'j', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[5])
local o = redis.call('HGET', KEYS[1], 'o')
return {'OK', s, o or '', redis.call('HGET', KEYS[1], 'e')}
