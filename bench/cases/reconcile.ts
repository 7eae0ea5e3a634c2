// Reconciler: how long a before/after snapshot (count and sum) of a big table takes through the real
// sql probe, on a fresh PostgreSQL database filled with generate_series.
import { createProbe } from '../../src/probes';
import { takeSnapshot } from '../../src/reconcile/snapshot';
import { createTestPostgres } from '../../test/helpers/databases';

export interface ReconcileResult {
  rows: number;
  fillMs: number;
  /** Wall time of one snapshot (both probes, in parallel as the runner does), each round. */
  snapshotMs: number[];
  /** The same two probes read one after the other. */
  countMs: number;
  sumMs: number;
  count: number;
  sum: number;
}

export async function runReconcile(rows: number, log: (l: string) => void): Promise<ReconcileResult> {
  const db = await createTestPostgres();
  try {
    const t0 = performance.now();
    await db.query('create table orders (id bigint primary key, amount_cents bigint not null)');
    await db.query(`insert into orders select g, (g % 5000) + 100 from generate_series(1, ${rows}) g`);
    await db.query('analyze orders');
    const fillMs = performance.now() - t0;
    const count = createProbe('orders', { sql: 'select count(*) from orders', url: db.url, timeout: 60_000 });
    const sum = createProbe('revenue', { sql: 'select coalesce(sum(amount_cents), 0) from orders', url: db.url, timeout: 60_000 });
    try {
      const time = async <T>(f: () => Promise<T>): Promise<[number, T]> => {
        const s = performance.now();
        const v = await f();
        return [performance.now() - s, v];
      };
      // Before and after (the runner takes two), plus one to show the warm-cache steady state.
      const snapshotMs: number[] = [];
      for (let i = 0; i < 3; i++) {
        const [ms, snap] = await time(() => takeSnapshot([count, sum]));
        if (snap.orders?.value !== rows) throw new Error(`snapshot read ${JSON.stringify(snap)}`);
        snapshotMs.push(ms);
      }
      const [countMs, c] = await time(() => count.read());
      const [sumMs, s] = await time(() => sum.read());
      const r = { rows, fillMs, snapshotMs, countMs, sumMs, count: c, sum: s };
      log(`  ${rows} rows (filled in ${fillMs.toFixed(0)} ms): snapshot ${snapshotMs.map((m) => m.toFixed(0)).join(' / ')} ms; count ${countMs.toFixed(0)} ms, sum ${sumMs.toFixed(0)} ms`);
      return r;
    } finally {
      await count.close();
      await sum.close();
    }
  } finally {
    await db.drop();
  }
}
