-- Reads a conversation for an agent without taking it: its state and its window. Read only.
-- KEYS: 1 state, 2 window
-- Returns {"OK", state fields..., window} or {"NONE"}.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'NONE'}
end
return {'OK', redis.call('HGETALL', KEYS[1]), redis.call('LRANGE', KEYS[2], 0, -1)}
