// Runnable shop: `node dist/examples/shop/main.js --port 8080` (or `npx tsx examples/shop/main.ts`).
// DATABASE_URL selects PostgreSQL; without it the shop runs an embedded one and prints its URL.
import { Command } from 'commander';
import { createLogger } from '../../src/log';
import { startShop } from './index';

async function main(): Promise<void> {
  const program = new Command('shop')
    .option('--port <n>', 'port to listen on (0 = any free port)', '8080')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--database-url <url>', 'postgres:// URL (default: $DATABASE_URL, else embedded PGlite)')
    .option('--redis-url <url>', 'redis://HOST:PORT for the redis-closed/redis-open variants (default: $REDIS_URL)')
    .option('--brokers <list>', 'Kafka brokers HOST:PORT[,…]: start the payments consumers')
    .option('--payments-topic <topic>', 'topic with payment events', 'payments')
    .parse();
  const o = program.opts<{ port: string; host: string; databaseUrl?: string; redisUrl?: string; brokers?: string; paymentsTopic: string }>();
  const logger = createLogger();
  const shop = await startShop({
    port: Number(o.port),
    host: o.host,
    databaseUrl: o.databaseUrl ?? process.env.DATABASE_URL,
    redisUrl: o.redisUrl ?? process.env.REDIS_URL,
    kafka: o.brokers ? { brokers: o.brokers.split(','), topic: o.paymentsTopic } : undefined,
    logger,
  });
  process.stdout.write(`shop listening on ${shop.url}\n`);
  process.stdout.write(`database ${shop.databaseUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}\n`);
  const stop = (): void => void shop.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`shop: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
