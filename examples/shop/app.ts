// HTTP surface of the shop: POST /{variant}/orders (POST /orders = correct), GET /stats, /metrics, /healthz.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'winston';
import { COUNTED_TABLES } from './schema';
import { handleOrder, VARIANTS, type Variant, type VariantContext } from './variants';

export function createApp(ctx: VariantContext, logger: Logger): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '64kb' }));

  const orders = async (variant: Variant, req: Request, res: Response): Promise<void> => {
    const key = req.get('idempotency-key')?.replace(/^"(.*)"$/, '$1'); // the draft sends a quoted sf-string
    const reply = await handleOrder(ctx, variant, key, req.body);
    if (reply.replayed) res.set('Idempotent-Replayed', 'true');
    res.status(reply.status).json(reply.body);
  };
  app.post('/orders', (req, res) => orders('correct', req, res));
  app.post('/:variant/orders', async (req, res) => {
    const v = req.params.variant as Variant;
    if (!VARIANTS.includes(v)) return void res.status(404).json({ error: 'unknown_variant', variants: VARIANTS });
    await orders(v, req, res);
  });

  app.get('/stats', async (_req, res) => res.json(await stats(ctx)));
  app.get('/metrics', async (_req, res) => {
    res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
  app.get('/healthz', async (_req, res) => {
    await ctx.db.query('SELECT 1');
    res.json({ ok: true, db: ctx.db.kind });
  });

  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    if (err.type === 'entity.parse.failed') return void res.status(400).json({ error: 'invalid_json' });
    logger.error('shop request failed', { error: err.message }); // never the body
    res.status(err.status ?? 500).json({ error: 'internal_error' });
  });
  return app;
}

type Counts = Record<keyof typeof COUNTED_TABLES, number>;

/** Counts from the database (the books) plus the in-process dedup counters, in total and per variant. */
export async function stats(ctx: VariantContext): Promise<Record<string, unknown>> {
  const zero = (): Counts => ({ orders: 0, ledger_entries: 0, emails: 0, payments: 0 });
  const total = zero();
  const per: Record<string, Counts & { idempotency: Record<string, number> }> = {};
  const idem = ctx.metrics.snapshot();
  const entry = (v: string) => (per[v] ??= { ...zero(), idempotency: idem[v] ?? { hits: 0, conflicts: 0, mismatches: 0 } });
  for (const v of VARIANTS) entry(v);
  for (const [name, table] of Object.entries(COUNTED_TABLES) as [keyof Counts, string][]) {
    const rows = await ctx.db.query<{ variant: string; n: number }>(`SELECT variant, count(*)::int AS n FROM ${table} GROUP BY variant`);
    for (const r of rows) {
      entry(r.variant)[name] = r.n;
      total[name] += r.n;
    }
  }
  const idemTotal = { hits: 0, conflicts: 0, mismatches: 0 };
  for (const v of Object.values(idem)) for (const k of Object.keys(idemTotal) as (keyof typeof idemTotal)[]) idemTotal[k] += v[k];
  return { ...total, idempotency: idemTotal, variants: per };
}
