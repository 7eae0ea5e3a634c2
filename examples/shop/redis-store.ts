// An Idempotency-Key store on Redis (optional: without REDIS_URL the shop keeps keys in its database).
// Redis and the database cannot commit together, so the order is: claim the key in Redis (SET NX, the
// claim itself is atomic), do the work in one database transaction, then store the response on the key.
// If storing fails the key stays claimed until its TTL: a later duplicate gets 409, never a second run.
import Redis from 'ioredis';
import type { OrderReply } from './orders';

export type StoredKey = { state: 'pending'; fp: string } | { state: 'done'; fp: string; status: number; body: Record<string, unknown> };

export interface RedisKeyStore {
  /** 'claimed' when this request owns the key now, else what the store holds. Throws when Redis is away. */
  claim(variant: string, key: string, fp: string, ttlMs: number): Promise<'claimed' | StoredKey>;
  complete(variant: string, key: string, fp: string, reply: OrderReply, ttlMs: number): Promise<void>;
  release(variant: string, key: string): Promise<void>;
  close(): Promise<void>;
}

/** prefix: the key namespace; keep it stable across restarts (dedup must survive them), change it per test. */
export function createRedisKeyStore(url: string, prefix = 'shop'): RedisKeyStore {
  const redis = new Redis(url, {
    // Fail fast while Redis is away: no offline queue, no retries per command, a short timeout for a
    // connection that hangs (a blackhole). Each variant then decides: refuse (fail closed) or go on.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 500,
    connectTimeout: 1000,
    retryStrategy: (times) => Math.min(times * 50, 250),
  });
  redis.on('error', () => undefined); // a connection error is answered per request, not by crashing
  const id = (variant: string, key: string) => `${prefix}:idem:${variant}:${key}`;
  return {
    async claim(variant, key, fp, ttlMs) {
      const ok = await redis.set(id(variant, key), JSON.stringify({ state: 'pending', fp }), 'PX', ttlMs, 'NX');
      if (ok === 'OK') return 'claimed';
      const held = await redis.get(id(variant, key));
      return held ? (JSON.parse(held) as StoredKey) : { state: 'pending', fp };
    },
    async complete(variant, key, fp, reply, ttlMs) {
      await redis.set(id(variant, key), JSON.stringify({ state: 'done', fp, status: reply.status, body: reply.body }), 'PX', ttlMs, 'XX');
    },
    async release(variant, key) {
      await redis.del(id(variant, key));
    },
    close: async () => void redis.disconnect(),
  };
}
