-- Adds a message that did not come from the conversation's own connection (an agent, a reminder):
-- the next sequence number, the window, the durable log. An agent's message names the owner it needs
-- (ARGV[7], "agent:<login>"): refused with {"NOT_OWNER", owner} unless that agent holds the
-- conversation, so an agent who handed it back or lost it to another cannot write into it. A message
-- may carry the dialogue state after it (ARGV[8], e.g. a flow the agent started): it becomes the
-- conversation's. Returns {"OK", seq, owner node or "", epoch} or {"NONE"} or {"NOT_OWNER", owner}.
-- KEYS: 1 state, 2 window, 3 log
-- ARGV: 1 merchant, 2 frame, 3 log record, 4 now, 5 ttl, 6 window size, 7 required owner ("" for any),
--       8 dialogue ("" to leave it)
local m = redis.call('HGET', KEYS[1], 'm')
if not m or m ~= ARGV[1] then
  return {'NONE'}
end
if ARGV[7] and ARGV[7] ~= '' then
  local own = redis.call('HGET', KEYS[1], 'own') or 'bot'
  if own ~= ARGV[7] then
    return {'NOT_OWNER', own}
  end
end
local s = redis.call('HINCRBY', KEYS[1], 's', 1)
redis.call('RPUSH', KEYS[2], '{"seq":' .. s .. ',' .. string.sub(ARGV[2], 2))
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[6]), -1)
redis.call('HSET', KEYS[1], 'ua', ARGV[4])
if ARGV[8] and ARGV[8] ~= '' then
  redis.call('HSET', KEYS[1], 'd', ARGV[8])
end
redis.call('XADD', KEYS[3], '*', 's', s, 'j', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[5])
local o = redis.call('HGET', KEYS[1], 'o')
return {'OK', s, o or '', redis.call('HGET', KEYS[1], 'e')}
