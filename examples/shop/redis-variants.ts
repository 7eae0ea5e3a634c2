// The two Redis-backed variants of POST /orders. Both dedup the same way while Redis answers; they differ
// only when it does not: redis-closed refuses with 503 and does nothing (the right choice for a money
// path), redis-open executes without deduplication (only acceptable for a harmless path).
import { createOrder, type OrderInput } from './orders';
import { fingerprint, type IdempotentReply } from './idempotency';
import type { RedisKeyStore } from './redis-store';
import type { ShopDb } from './db';

export const REDIS_VARIANTS = ['redis-closed', 'redis-open'] as const;
export type RedisVariant = (typeof REDIS_VARIANTS)[number];

const unavailable = (message: string): IdempotentReply => ({
  status: 503, replayed: false, body: { error: 'idempotency_store_unavailable', message },
});

export async function redisIdempotent(
  ctx: { db: ShopDb; redis?: RedisKeyStore; ttlMs: number }, variant: RedisVariant, key: string, input: OrderInput,
): Promise<IdempotentReply> {
  if (!ctx.redis) return unavailable('this shop runs without Redis (start it with REDIS_URL)');
  const fp = fingerprint(input);
  const run = () => ctx.db.tx((q) => createOrder(q, variant, input, key));
  let held: Awaited<ReturnType<RedisKeyStore['claim']>>;
  try {
    held = await ctx.redis.claim(variant, key, fp, ctx.ttlMs);
  } catch {
    if (variant === 'redis-closed') return unavailable('the idempotency store is unreachable; retry later with the same key');
    return { ...(await run()), replayed: false }; // fail open: the duplicate check is skipped
  }
  if (held !== 'claimed') {
    if (held.fp !== fp) {
      return { status: 422, replayed: false, counter: 'mismatches', body: { error: 'idempotency_key_reused', message: 'this Idempotency-Key was used with a different request body' } };
    }
    if (held.state === 'pending') {
      return { status: 409, replayed: false, counter: 'conflicts', body: { error: 'idempotency_key_in_use', message: 'a request with this Idempotency-Key is still in progress; retry later' } };
    }
    return { status: held.status, body: held.body, replayed: true, counter: 'hits' };
  }
  let reply;
  try {
    reply = await run();
  } catch (err) {
    await ctx.redis.release(variant, key).catch(() => undefined); // nothing was written: let a retry run
    throw err;
  }
  await ctx.redis.complete(variant, key, fp, reply, ctx.ttlMs).catch(() => undefined);
  return { ...reply, replayed: false };
}
