-- GCRA reservation, atomic on the Redis server: every caller gets the next free slot and is told how
-- long to wait for it, so callers on all hosts are served in order and none is refused.
--
-- KEYS[1]  the limiter's key (holds the theoretical arrival time, TAT, in microseconds)
-- ARGV[1]  the emission interval in microseconds: per / (max - burst + 1)
-- ARGV[2]  the burst tolerance in microseconds: interval * (burst - 1)
-- returns  the wait before the reserved slot, in microseconds (0: go now)
--
-- Time is the Redis server's, so hosts with skewed clocks agree.
if redis.replicate_commands then
  -- Redis < 5 replicates scripts verbatim unless told otherwise, and TIME is not deterministic.
  redis.replicate_commands()
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])

local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil or tat < now then
  tat = now
end
local allowed_at = tat - tolerance
local wait = 0
if allowed_at > now then
  wait = allowed_at - now
end
local new_tat = tat + interval
-- The key outlives its last reservation by a second, then the limiter starts afresh (a full burst).
local ttl_ms = math.ceil((new_tat - now) / 1000) + 1000
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', ttl_ms)
return wait
