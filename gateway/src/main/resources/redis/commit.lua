-- Commits one answered message in one round trip: checks the claim's epoch, refuses a message id
-- answered already, gives the shopper's frame and the reply the next two sequence numbers, keeps them
-- in the bounded window, records the reply for idempotency, writes the state, appends both messages to
-- the durable log (a stream in the same hash slot) and slides the time to live.
-- While an agent owns the conversation (state field 'own' = "agent:<login>") the bot never answers:
-- only the shopper's frame is stored and logged (for the agent), the dialogue state is left as it was,
-- and the message id is recorded against the shopper frame's seq. A commit without a reply (ARGV[5]
-- empty: the connection knew an agent holds it) stores the shopper's frame alone the same way, or is
-- refused with {"UNHELD"} when no agent holds it any more. A conversation an agent closed goes back to
-- the bot when the shopper writes again.
-- KEYS: 1 state, 2 window, 3 answered, 4 log (stream)
-- ARGV: 1 epoch, 2 message id ("" for none), 3 shopper frame, 4 shopper log record, 5 reply frame ("" for none),
--       6 reply log record, 7 dialogue, 8 language, 9 now, 10 ttl, 11 window size, 12 answered ids kept,
--       13 merchant, 14 seq known to the claim holder, 15 created at
-- Frames and records are JSON objects without a seq; the script puts it first.
-- Returns {"OK", reply seq} or {"HELD", shopper seq, owner} or {"UNHELD"} or {"STALE", current epoch}
-- or {"DUP", seq of the earlier reply (or of the shopper frame of a held message)}.
local e = redis.call('HGET', KEYS[1], 'e')
if not e then
  -- the state expired while its connection stayed open: the claim's holder brings it back
  redis.call('HSET', KEYS[1], 'm', ARGV[13], 'e', ARGV[1], 's', ARGV[14], 'ca', ARGV[15])
  e = ARGV[1]
end
if e ~= ARGV[1] then
  return {'STALE', e}
end
if ARGV[2] ~= '' then
  local earlier = redis.call('ZSCORE', KEYS[3], ARGV[2])
  if earlier then
    return {'DUP', earlier}
  end
end
local own = redis.call('HGET', KEYS[1], 'own')
local held = own and string.sub(own, 1, 6) == 'agent:'
if not held and ARGV[5] == '' then
  return {'UNHELD'}
end
if held then
  local s1 = redis.call('HINCRBY', KEYS[1], 's', 1)
  redis.call('RPUSH', KEYS[2], '{"seq":' .. s1 .. ',' .. string.sub(ARGV[3], 2))
  redis.call('LTRIM', KEYS[2], -tonumber(ARGV[11]), -1)
  if ARGV[2] ~= '' then
    redis.call('ZADD', KEYS[3], s1, ARGV[2])
    redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -tonumber(ARGV[12]) - 1)
  end
  redis.call('HSET', KEYS[1], 'ua', ARGV[9])
  redis.call('XADD', KEYS[4], '*', 's', s1, 'j', ARGV[4])
  redis.call('EXPIRE', KEYS[1], ARGV[10])
  redis.call('EXPIRE', KEYS[2], ARGV[10])
  redis.call('EXPIRE', KEYS[3], ARGV[10])
  return {'HELD', s1, own}
end
if own == 'closed' then
  redis.call('HDEL', KEYS[1], 'own')
end
local s = redis.call('HINCRBY', KEYS[1], 's', 2)
local s1 = s - 1
redis.call('RPUSH', KEYS[2], '{"seq":' .. s1 .. ',' .. string.sub(ARGV[3], 2), '{"seq":' .. s .. ',' .. string.sub(ARGV[5], 2))
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[11]), -1)
if ARGV[2] ~= '' then
  redis.call('ZADD', KEYS[3], s, ARGV[2])
  redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -tonumber(ARGV[12]) - 1)
end
redis.call('HSET', KEYS[1], 'd', ARGV[7], 'l', ARGV[8], 'ua', ARGV[9])
redis.call('XADD', KEYS[4], '*', 's', s1, 'j', ARGV[4])
redis.call('XADD', KEYS[4], '*', 's', s, 'j', ARGV[6])
redis.call('EXPIRE', KEYS[1], ARGV[10])
redis.call('EXPIRE', KEYS[2], ARGV[10])
redis.call('EXPIRE', KEYS[3], ARGV[10])
return {'OK', s}
