// The write route in four flavours, so one shop shows doubletap both honest and broken dedup.
import type { ShopDb } from './db';
import { createOrder, invalidOrder, type OrderInput } from './orders';
import { fingerprint, withIdempotency, type IdempotentReply } from './idempotency';
import type { ShopMetrics } from './metrics';
import type { RedisKeyStore } from './redis-store';
import { REDIS_VARIANTS, redisIdempotent, type RedisVariant } from './redis-variants';

export const VARIANTS = ['correct', 'naive', 'racy', 'no-fingerprint', ...REDIS_VARIANTS] as const;
export type Variant = (typeof VARIANTS)[number];

export interface VariantContext {
  db: ShopDb;
  metrics: ShopMetrics;
  ttlMs: number;
  /** The racy variant's pause between its check and its insert (ms). */
  racyGapMs: number;
  /** The optional Redis idempotency store of the redis-closed / redis-open variants. */
  redis?: RedisKeyStore;
}

export async function handleOrder(ctx: VariantContext, variant: Variant, key: string | undefined, body: unknown): Promise<IdempotentReply> {
  const bad = invalidOrder(body);
  if (bad) return { ...bad, replayed: false };
  const input = { sku: (body as OrderInput).sku, amount_cents: (body as OrderInput).amount_cents };
  if (variant === 'naive') {
    const reply = await ctx.db.tx((q) => createOrder(q, variant, input, key));
    return done(ctx, variant, { ...reply, replayed: false });
  }
  if (key === undefined || key === '') {
    return { status: 400, replayed: false, body: { error: 'idempotency_key_missing', message: 'this route requires an Idempotency-Key header' } };
  }
  if (variant === 'racy') return done(ctx, variant, await racy(ctx, key, input));
  if ((REDIS_VARIANTS as readonly string[]).includes(variant)) return done(ctx, variant, await redisIdempotent(ctx, variant as RedisVariant, key, input));
  const reply = await withIdempotency(
    ctx.db,
    { variant, key, body: input, checkFingerprint: variant === 'correct', ttlMs: ctx.ttlMs },
    (q) => createOrder(q, variant, input, key),
  );
  return done(ctx, variant, reply);
}

/**
 * Check-then-insert: passes a sequential replay, fails a concurrent burst. The key is written only
 * after the work committed, so two requests that both passed the check both do the work.
 */
async function racy(ctx: VariantContext, key: string, input: OrderInput): Promise<IdempotentReply> {
  const [seen] = await ctx.db.query<{ status_code: number | null; response: Record<string, unknown> | null }>(
    `SELECT status_code, response FROM idempotency_keys WHERE variant = 'racy' AND key = $1`, [key],
  );
  if (seen && seen.status_code !== null) return { status: seen.status_code, body: seen.response ?? {}, replayed: true, counter: 'hits' };
  await new Promise((r) => setTimeout(r, ctx.racyGapMs));
  const reply = await ctx.db.tx((q) => createOrder(q, 'racy', input, key));
  await ctx.db.query(
    `INSERT INTO idempotency_keys (variant, key, fingerprint, status_code, response, expires_at)
     VALUES ('racy', $1, $2, $3, $4::jsonb, now() + interval '1 day') ON CONFLICT DO NOTHING`,
    [key, fingerprint(input), reply.status, JSON.stringify(reply.body)],
  );
  return { ...reply, replayed: false };
}

function done(ctx: VariantContext, variant: Variant, reply: IdempotentReply): IdempotentReply {
  if (reply.counter) ctx.metrics.count(reply.counter, variant);
  if (reply.status === 201 && !reply.replayed) ctx.metrics.orderCreated(variant);
  return reply;
}
