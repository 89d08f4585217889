-- Lets go of a conversation whose connection closed, if nobody took it over since.
-- KEYS: 1 state; ARGV: 1 epoch
if redis.call('HGET', KEYS[1], 'e') == ARGV[1] then
  redis.call('HDEL', KEYS[1], 'o')
  return 1
end
return 0
