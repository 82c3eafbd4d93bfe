-- GCRA for one budget, timed by the Redis server's clock so that the callers' clocks never matter.
-- KEYS[1]: the budget's key, holding the theoretical arrival time (TAT) of the next permit, in microseconds.
-- ARGV[1]: the emission interval (microseconds between permits); ARGV[2]: the burst tolerance (microseconds).
-- Books the caller's slot and returns {start of the slot, now}, both in the server's microseconds: the caller
-- compares `now` with its own clock to know when the slot starts on its side.
-- Redis before 5 replicates scripts verbatim and refuses a write after TIME unless effects are replicated.
if redis.replicate_commands then pcall(redis.replicate_commands) end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local start = tat - tolerance
if start < now then start = now end
local next_tat = tat + interval
-- '%d', not tostring: tostring keeps 14 digits, and the time has 16. The key expires once it says nothing.
redis.call('SET', KEYS[1], string.format('%d', next_tat), 'PX', math.ceil((next_tat - now) / 1000) + 1)
return {start, now}
