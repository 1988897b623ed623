import type { Redis } from "ioredis";
import type { RateGate } from "./rate-gate.ts";

/**
 * The rate gate shared through Redis: every worker's take runs one Lua script, atomically, against
 * the same bucket, so M workers together keep the destination's limit. The bucket uses Redis's own
 * clock (TIME), so worker clocks need not agree; pauses are relative (PX), for the same reason.
 * Keys: `<prefix>:bucket:<dest>` (hash tokens/ts), `<prefix>:pause:<dest>` (string with a TTL).
 */
const TAKE = `
local pttl = redis.call('PTTL', KEYS[2])
if pttl > 0 then return {0, pttl} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1]) / 1000
local burst = tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(b[1]) or burst
local ts = tonumber(b[2]) or now
if now > ts then tokens = math.min(burst, tokens + (now - ts) * rate) end
if now < ts then now = ts end
local ttl = math.ceil(burst / rate) + 1000
if tokens >= 1 then
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1), 'ts', now)
  redis.call('PEXPIRE', KEYS[1], ttl)
  return {1, 0}
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', now)
redis.call('PEXPIRE', KEYS[1], ttl)
return {0, -math.ceil((1 - tokens) / rate)}
`;

const PAUSE = `
local cur = redis.call('PTTL', KEYS[1])
if cur < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 1
`;

export function createRedisRateGate(redis: Redis, prefix = "eolgate:notify"): RateGate {
  const keys = (dest: string) => [`${prefix}:bucket:${dest}`, `${prefix}:pause:${dest}`];
  return {
    async take(key, limit) {
      const [bucket, pause] = keys(key);
      const r = (await redis.eval(
        TAKE,
        2,
        bucket!,
        pause!,
        String(limit.ratePerSec),
        String(limit.burst),
      )) as [number, number];
      if (r[0] === 1) return { kind: "granted" };
      // Positive: a pause's remaining TTL; negative: time until the bucket has a token.
      return r[1] > 0 ? { kind: "wait", ms: r[1], paused: true } : { kind: "wait", ms: -r[1], paused: false };
    },
    async pause(key, ms) {
      if (ms <= 0) return;
      await redis.eval(PAUSE, 1, keys(key)[1]!, String(Math.ceil(ms)));
    },
    async pausedFor(key) {
      const ttl = await redis.pttl(keys(key)[1]!);
      return Math.max(ttl, 0);
    },
  };
}
