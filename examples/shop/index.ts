// startShop(): the demo target doubletap tests against. PostgreSQL when databaseUrl is given, else an
// embedded PGlite exposed on a loopback postgres:// URL for probes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'winston';
import { silentLogger } from '../../src/log';
import { createPgDb, type ShopDb } from './db';
import { createPgliteDb } from './pglite-db';
import { createSchema } from './schema';
import { createShopMetrics } from './metrics';
import { createApp } from './app';
import { startPaymentsConsumer, type PaymentVariant } from './payments-consumer';
import { createRedisKeyStore } from './redis-store';

export interface ShopOptions {
  port?: number;
  host?: string;
  /** postgres:// URL; without it the shop runs an embedded PostgreSQL (PGlite). */
  databaseUrl?: string;
  /** Start the payment-events consumers (variants correct, naive, offset; or `variants`) on this topic. */
  kafka?: { brokers: string[]; topic: string; groupPrefix?: string; variants?: readonly PaymentVariant[] };
  logger?: Logger;
  /** How long a completed idempotency key is kept before it may be reclaimed (default 24 h). */
  keyTtlMs?: number;
  /** redis://HOST:PORT for the redis-closed / redis-open variants (other variants keep keys in the database). */
  redisUrl?: string;
  /** Namespace of the shop's Redis keys (default `shop`). */
  redisPrefix?: string;
  /** The racy variant's gap between check and insert (default 5 ms). */
  racyGapMs?: number;
}

export interface Shop {
  url: string;
  /** What probes should use: DATABASE_URL, or the embedded database's socket URL. */
  databaseUrl: string;
  close(): Promise<void>;
}

export async function startShop(opts: ShopOptions = {}): Promise<Shop> {
  const logger = opts.logger ?? silentLogger();
  const host = opts.host ?? '127.0.0.1';
  const db: ShopDb = opts.databaseUrl ? createPgDb(opts.databaseUrl) : await createPgliteDb({ host: '127.0.0.1' });
  const closers: (() => Promise<void>)[] = [() => db.close()];
  try {
    await createSchema(db);
    const metrics = createShopMetrics();
    const redis = opts.redisUrl ? createRedisKeyStore(opts.redisUrl, opts.redisPrefix) : undefined;
    if (redis) closers.unshift(() => redis.close());
    const ctx = { db, metrics, ttlMs: opts.keyTtlMs ?? 86_400_000, racyGapMs: opts.racyGapMs ?? 5, redis };
    if (opts.kafka) {
      const consumer = await startPaymentsConsumer({ ...opts.kafka, db, metrics, logger });
      closers.unshift(() => consumer.close());
    }
    const server = http.createServer(createApp(ctx, logger));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, resolve);
    });
    closers.unshift(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
    const { port } = server.address() as AddressInfo;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    logger.info('shop started', { url, db: db.kind });
    return { url, databaseUrl: db.url, close: () => closeAll(closers) };
  } catch (err) {
    await closeAll(closers);
    throw err;
  }
}

async function closeAll(closers: (() => Promise<void>)[]): Promise<void> {
  for (const c of closers) await c().catch(() => undefined);
}
