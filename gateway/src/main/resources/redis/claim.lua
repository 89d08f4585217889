-- Takes a conversation for a connection: a new epoch (the fencing token), this node as its owner.
-- KEYS: 1 state (hash), 2 window (list), 3 answered (zset)
-- ARGV: 1 merchant, 2 node, 3 now (ms), 4 ttl (s), 5 create ("1": create when absent), 6 shopper ("" anonymous)
-- A conversation of another shopper is FOREIGN (a new one starts); a known shopper is recorded ('sh').
-- Returns {"OK", epoch, state fields..., window, answered (id, seq, ...)} or {"NONE"} or {"FOREIGN"}.
local m = redis.call('HGET', KEYS[1], 'm')
if not m then
  if ARGV[5] ~= '1' then
    return {'NONE'}
  end
  redis.call('DEL', KEYS[2], KEYS[3])
  redis.call('HSET', KEYS[1], 'm', ARGV[1], 'e', 0, 's', 0, 'ca', ARGV[3], 'ua', ARGV[3])
elseif m ~= ARGV[1] then
  return {'FOREIGN'}
end
local sh = redis.call('HGET', KEYS[1], 'sh')
if ARGV[6] and ARGV[6] ~= '' then
  if sh and sh ~= ARGV[6] then
    return {'FOREIGN'}
  end
  redis.call('HSET', KEYS[1], 'sh', ARGV[6])
end
-- the owner before this claim ('po'), so a claim whose connection closed before it opened can give it back (unclaim.lua)
redis.call('HSET', KEYS[1], 'po', redis.call('HGET', KEYS[1], 'o') or '')
local e = redis.call('HINCRBY', KEYS[1], 'e', 1)
redis.call('HSET', KEYS[1], 'o', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])
redis.call('EXPIRE', KEYS[3], ARGV[4])
return {'OK', e, redis.call('HGETALL', KEYS[1]), redis.call('LRANGE', KEYS[2], 0, -1),
        redis.call('ZRANGE', KEYS[3], 0, -1, 'WITHSCORES')}
