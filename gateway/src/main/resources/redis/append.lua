-- Adds a message that did not come from the conversation's own connection (an agent, a reminder):
-- the next sequence number, the window, the durable log. A message with a dedupe id (a reminder) is
-- added once: {"DUP", seq} when that id was appended before. An agent's message names the owner it
-- needs (ARGV[9], "agent:<login>"): refused with {"NOT_OWNER", owner} unless that agent holds the
-- conversation, so an agent who handed it back or lost it to another cannot write into it. A message
-- may carry the dialogue state after it (ARGV[10], e.g. a flow the agent started): it becomes the
-- conversation's. Returns {"OK", seq, owner node or "", epoch} or {"NONE"} or {"DUP", seq} or
-- {"NOT_OWNER", owner}.
-- KEYS: 1 state, 2 window, 3 log, 4 answered (zset: client message ids and dedupe ids)
-- ARGV: 1 merchant, 2 frame, 3 log record, 4 now, 5 ttl, 6 window size, 7 dedupe id ("" for none),
--       8 answered ids kept, 9 required owner ("" for any), 10 dialogue ("" to leave it)
local m = redis.call('HGET', KEYS[1], 'm')
if not m or m ~= ARGV[1] then
  return {'NONE'}
end
if ARGV[9] and ARGV[9] ~= '' then
  local own = redis.call('HGET', KEYS[1], 'own') or 'bot'
  if own ~= ARGV[9] then
    return {'NOT_OWNER', own}
  end
end
if ARGV[7] ~= '' then
  local earlier = redis.call('ZSCORE', KEYS[4], ARGV[7])
  if earlier then
    return {'DUP', earlier}
  end
end
local s = redis.call('HINCRBY', KEYS[1], 's', 1)
if ARGV[7] ~= '' then
  redis.call('ZADD', KEYS[4], s, ARGV[7])
  redis.call('ZREMRANGEBYRANK', KEYS[4], 0, -tonumber(ARGV[8]) - 1)
  redis.call('EXPIRE', KEYS[4], ARGV[5])
end
redis.call('RPUSH', KEYS[2], '{"seq":' .. s .. ',' .. string.sub(ARGV[2], 2))
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[6]), -1)
redis.call('HSET', KEYS[1], 'ua', ARGV[4])
if ARGV[10] and ARGV[10] ~= '' then
  redis.call('HSET', KEYS[1], 'd', ARGV[10])
end
redis.call('XADD', KEYS[3], '*', 's', s, 'j', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[5])
local o = redis.call('HGET', KEYS[1], 'o')
return {'OK', s, o or '', redis.call('HGET', KEYS[1], 'e')}
