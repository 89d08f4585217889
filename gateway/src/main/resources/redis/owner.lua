-- Changes who answers a conversation, in one atomic step: "take" (an agent takes it from the bot, or
-- from nobody after a close; refused while another agent holds it), "handback" (the holding agent gives
-- it back to the bot) or "close" (the holding agent ends it). Each change appends a system frame in the
-- conversation's language (the next seq, the window, the durable log), so the shopper sees it and the
-- change reaches PostgreSQL (and the merchant's webhook) through the log like any message. Handing back
-- or closing ends the handoff recorded in the dialogue state, so the bot may hand off again later.
-- KEYS: 1 state, 2 window, 3 log
-- ARGV: 1 merchant, 2 action (take | handback | close), 3 agent ("agent:<login>"), 4 now, 5 ttl,
--       6 window size, then per language: 7 language, 8 frame, 9 log record, 10 language, ... (the first
--       is used when the conversation's language has none). Frames and records carry no seq.
-- Returns {"OK", seq, previous owner, new owner, holding node or "", epoch, language}
--      or {"SAME", owner} (nothing to change) or {"TAKEN", owner} / {"NOT_OWNER", owner} or {"NONE"}.
local m = redis.call('HGET', KEYS[1], 'm')
if not m or m ~= ARGV[1] then
  return {'NONE'}
end
local own = redis.call('HGET', KEYS[1], 'own') or 'bot'
local agent = ARGV[3]
local new
if ARGV[2] == 'take' then
  if own == agent then
    return {'SAME', own}
  end
  if string.sub(own, 1, 6) == 'agent:' then
    return {'TAKEN', own}
  end
  new = agent
elseif ARGV[2] == 'handback' then
  if own ~= agent then
    return {'NOT_OWNER', own}
  end
  new = 'bot'
elseif ARGV[2] == 'close' then
  if own ~= agent then
    return {'NOT_OWNER', own}
  end
  new = 'closed'
else
  return redis.error_reply('unknown ownership action ' .. ARGV[2])
end
local lang = redis.call('HGET', KEYS[1], 'l') or ''
local pick = 7
for i = 7, #ARGV - 2, 3 do
  if ARGV[i] == lang then
    pick = i
  end
end
if new == 'bot' then
  redis.call('HDEL', KEYS[1], 'own')
else
  redis.call('HSET', KEYS[1], 'own', new)
end
if new == 'bot' or new == 'closed' then
  -- the handoff is over: the bot may hand the conversation to a person again later
  local d = redis.call('HGET', KEYS[1], 'd')
  if d then
    redis.call('HSET', KEYS[1], 'd', (string.gsub(d, '"handoff":%b{}', '"handoff":null', 1)))
  end
end
local s = redis.call('HINCRBY', KEYS[1], 's', 1)
redis.call('RPUSH', KEYS[2], '{"seq":' .. s .. ',' .. string.sub(ARGV[pick + 1], 2))
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[6]), -1)
redis.call('HSET', KEYS[1], 'ua', ARGV[4])
redis.call('XADD', KEYS[3], '*', 's', s, 'j', ARGV[pick + 2])
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[5])
local o = redis.call('HGET', KEYS[1], 'o')
return {'OK', s, own, new, o or '', redis.call('HGET', KEYS[1], 'e'), ARGV[pick]}
