-- Gives a conversation back to the claim before this one: the claim was made for a connection that closed
-- before it opened (its client had already given up on it and, likely, connected again). When nobody claimed
-- since, the epoch goes back one and the owner before it ('po') is restored, so the connection that replaced
-- the closed one keeps the conversation instead of being moved aside by a claim nobody uses.
-- KEYS: 1 state; ARGV: 1 epoch of the unused claim. Returns 1 when given back, 0 when another claim came since.
if redis.call('HGET', KEYS[1], 'e') ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'e', tonumber(ARGV[1]) - 1)
local po = redis.call('HGET', KEYS[1], 'po')
if po and po ~= '' then
  redis.call('HSET', KEYS[1], 'o', po)
else
  redis.call('HDEL', KEYS[1], 'o')
end
return 1
