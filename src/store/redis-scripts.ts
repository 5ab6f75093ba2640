/**
 * The Redis store's Lua scripts. Each runs atomically in Redis (no other command runs in between). The
 * consume script takes a batch: the requests that arrived in one event-loop turn, each decided whole in
 * turn, so a request is still one atomic step and costs at most one round trip (usually a share of one).
 * Their arithmetic is the algorithms' of src/core/algorithms, operation for operation (IEEE doubles in
 * both), so that the store contract test can demand equal decisions from the memory store and from Redis.
 * Whole numbers go back as integers; others as `%.17g` text (Redis would truncate a Lua number to an
 * integer), which reads back into the same double. Redis 7 writes a Lua number argument in its shortest
 * exact form, so states are stored without loss.
 */

/** Reads the clock hash (`off`: offset from Redis TIME, `frz`: frozen-at time, `mw`: longest window seen) at `key`. */
const clockAt = (key: string) => `
if redis.replicate_commands then pcall(redis.replicate_commands) end
local function fmt(x) return string.format('%.17g', x) end
local function num(x) if x == math.floor(x) then return x end return fmt(x) end
local clk = redis.call('HMGET', ${key}, 'off', 'frz', 'mw')
local tm = redis.call('TIME')
local real = tonumber(tm[1]) * 1000 + math.floor(tonumber(tm[2]) / 1000)
local off = tonumber(clk[1]) or 0
local frz = tonumber(clk[2])
local mw = tonumber(clk[3]) or 0
`;

/**
 * consume / peek, for a batch of requests. KEYS: the clock hash, the recent-keys sorted set (member: an
 * entry's key, score: its last use), then the state key of every entry of every request, in order. ARGV,
 * per request: 'c' (consume) or 'p' (peek); 'a' (atomic) or 'o' (in-order); the caller's time, or '' for
 * the store's clock; the number of entries n; then five per entry: algorithm (f, s, t), limit, windowMs,
 * cost, key. Answers the clock's offset and frozen time (or ''), then five per entry of every request:
 * allowed (1 or 0), limit, remaining, resetMs, retryAfterMs.
 */
export const CONSUME_SCRIPT = `${clockAt('KEYS[1]')}
local storeNow = frz or (real + off)
local now = storeNow
local timed = false
-- TTLs bound memory only (states carry their own times); while the store's clock stands still, real time
-- must not forget a budget that virtual time still counts, so they get an hour's grace.
local function expireAt(k, at)
  local ms = math.ceil(at - now)
  if frz and not timed then ms = ms + 3600000 end
  if ms < 1 then ms = 1 end
  redis.call('PEXPIRE', k, ms)
end

local function fixed(k, limit, win, cost, write)
  local s = redis.call('HMGET', k, 'a', 'b')
  local hits, start = 0, now
  local h, st = tonumber(s[1]), tonumber(s[2])
  local live = h and now < st + win
  if live then hits, start = h, st end
  local fits = hits + cost <= limit
  if write and fits then
    hits = hits + cost
    redis.call('HSET', k, 'a', hits, 'b', start)
    -- The window's end moves only when a new window starts.
    if not live or (frz and not timed) then expireAt(k, start + win) end
  end
  local reset = math.max(0, start + win - now)
  return { fits, limit, math.max(0, limit - hits), reset, fits and 0 or reset }
end

local function bucket(k, limit, win, cost, write)
  local s = redis.call('HMGET', k, 'a', 'b')
  local tokens = limit
  if s[1] then tokens = math.min(limit, tonumber(s[1]) + (math.max(0, now - tonumber(s[2])) * limit) / win) end
  local fits = tokens >= cost
  if write and fits then
    tokens = tokens - cost
    redis.call('HSET', k, 'a', tokens, 'b', now)
    expireAt(k, now + math.ceil(((limit - tokens) * win) / limit))
  end
  local perToken = win / limit
  return { fits, limit, math.max(0, math.floor(tokens)), math.ceil((limit - tokens) * perToken), fits and 0 or math.ceil((cost - tokens) * perToken) }
end

local function sliding(k, limit, win, cost, write)
  local len = redis.call('LLEN', k)
  local from = now - win
  local head = len > 0 and tonumber(redis.call('LINDEX', k, 0))
  -- The log is in time order, so the entries that left the window lead it: count them by bisection.
  local drop = 0
  if head and head <= from then
    local lo, hi = 1, len
    while lo < hi do
      local mid = math.floor((lo + hi) / 2)
      if tonumber(redis.call('LINDEX', k, mid)) <= from then lo = mid + 1 else hi = mid end
    end
    drop = lo
    head = drop < len and tonumber(redis.call('LINDEX', k, drop))
  end
  local count = len - drop
  local fits = count + cost <= limit
  local retry = 0
  if not fits then
    local leaving = math.min(count, count + cost - limit)
    if leaving <= 0 then retry = win
    elseif leaving == 1 then retry = math.max(0, head + win - now)
    else retry = math.max(0, tonumber(redis.call('LINDEX', k, drop + leaving - 1)) + win - now) end
  end
  if write and drop > 0 then redis.call('LTRIM', k, drop, -1) end
  if write and fits then
    local left = cost
    while left > 0 do
      local batch = {}
      for j = 1, math.min(left, 1000) do batch[j] = now end
      redis.call('RPUSH', k, unpack(batch))
      left = left - #batch
    end
    if count == 0 and cost > 0 then head = now end
    count = count + cost
    if cost > 0 then expireAt(k, now + win) end
  end
  local reset = 0
  if count > 0 then reset = math.max(0, head + win - now) end
  return { fits, limit, math.max(0, limit - count), reset, retry }
end

local steps = { f = fixed, s = sliding, t = bucket }
local out = { num(off), frz and num(frz) or '' }
local longest, latest = mw, nil
local a, key = 1, 3
while a <= #ARGV do
  local consume, inOrder, n = ARGV[a] == 'c', ARGV[a + 1] == 'o', tonumber(ARGV[a + 3])
  timed = ARGV[a + 2] ~= ''
  if timed then now = tonumber(ARGV[a + 2]) else now = storeNow end
  local function arg(i, j) return ARGV[a + 3 + (i - 1) * 5 + j] end
  local function step(i, write)
    return steps[arg(i, 1)](KEYS[key + i - 1], tonumber(arg(i, 2)), tonumber(arg(i, 3)), tonumber(arg(i, 4)), write)
  end
  local decisions, spent = {}, {}
  if not consume then
    for i = 1, n do decisions[i] = step(i, false) end
  elseif n == 1 then
    decisions[1] = step(1, true)
    spent[1] = decisions[1][1]
  else
    local rejected = 0
    for i = 1, n do
      decisions[i] = step(i, false)
      if rejected == 0 and not decisions[i][1] then rejected = i end
    end
    local upTo = n
    if rejected > 0 then
      upTo = 0
      if inOrder then upTo = rejected - 1 end
    end
    for i = 1, upTo do
      decisions[i] = step(i, true)
      spent[i] = true
    end
  end
  if consume then
    for i = 1, n do
      local win = tonumber(arg(i, 3))
      if win > longest then longest = win end
      -- A spent entry is used now; one that was not only stays listed if it was (the memory store's touch).
      if spent[i] then redis.call('ZADD', KEYS[2], now, arg(i, 5)) else redis.call('ZADD', KEYS[2], 'XX', now, arg(i, 5)) end
    end
    if latest == nil or now > latest then latest = now end
  end
  for i = 1, n do
    local d = decisions[i]
    out[#out + 1] = d[1] and 1 or 0
    for j = 2, 5 do out[#out + 1] = num(d[j]) end
  end
  a = a + 4 + n * 5
  key = key + n
end

if latest then
  if longest > mw then redis.call('HSET', KEYS[1], 'mw', longest) end
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', latest - longest)
end
return out
`;

/** The keys with live state, newest first. KEYS: the clock hash, the recent-keys set. ARGV: the most to list, the caller's time or ''. */
export const KEYS_SCRIPT = `${clockAt('KEYS[1]')}
local now
if ARGV[2] ~= '' then now = tonumber(ARGV[2]) elseif frz then now = frz else now = real + off end
if mw == 0 then return {} end
return redis.call('ZREVRANGEBYSCORE', KEYS[2], '+inf', '(' .. fmt(now - mw), 'LIMIT', 0, tonumber(ARGV[1]))
`;

/**
 * A clock move, or a read (ARGV[1] ''): 'freeze', 'advance' by ARGV[2] ms, 'resume'; the moves of
 * core/clock-state.ts. KEYS: the clock hash. Answers Redis's real time, the offset and the frozen time.
 */
export const CLOCK_SCRIPT = `${clockAt('KEYS[1]')}
local op = ARGV[1]
if op == 'freeze' then
  if not frz then frz = real + off end
elseif op == 'advance' then
  frz = (frz or (real + off)) + tonumber(ARGV[2])
elseif op == 'resume' then
  if frz then off = frz - real; frz = nil end
end
if op ~= '' then
  redis.call('HSET', KEYS[1], 'off', fmt(off))
  if frz then redis.call('HSET', KEYS[1], 'frz', fmt(frz)) else redis.call('HDEL', KEYS[1], 'frz') end
end
return { fmt(real), fmt(off), frz and fmt(frz) or '' }
`;

/**
 * An idempotency record, kept unless a live one is there (which it answers). KEYS: the record, its owner's
 * index (a sorted set of the owner's records by age), the clock hash. ARGV: the record, its lifetime in ms,
 * the most records per owner, the record's key name, the caller's time or ''. A record lives `ttl` on the
 * store's clock (virtual time moves it) and at most as long in real time (Redis expires it).
 */
export const RECORD_SCRIPT = `${clockAt('KEYS[3]')}
local now
if ARGV[5] ~= '' then now = tonumber(ARGV[5]) elseif frz then now = frz else now = real + off end
local ttl = tonumber(ARGV[2])
local existing = redis.call('GET', KEYS[1])
if existing then
  local sep = string.find(existing, '\\n', 1, true)
  if now - tonumber(string.sub(existing, 1, sep - 1)) < ttl then return string.sub(existing, sep + 1) end
end
redis.call('SET', KEYS[1], fmt(now) .. '\\n' .. ARGV[1], 'PX', ttl)
redis.call('ZADD', KEYS[2], now, ARGV[4])
redis.call('PEXPIRE', KEYS[2], ttl)
local extra = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[3])
if extra > 0 then
  for _, old in ipairs(redis.call('ZRANGE', KEYS[2], 0, extra - 1)) do redis.call('DEL', old) end
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, extra - 1)
end
return false
`;
