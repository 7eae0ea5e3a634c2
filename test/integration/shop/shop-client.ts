// Small client for the shop tests: POST an order, read the books straight from the database.
import { Client } from 'pg';

export interface Reply { status: number; replayed: boolean; body: Record<string, unknown> }

export async function order(base: string, variant: string, key: string | undefined, body: unknown): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== undefined) headers['idempotency-key'] = key;
  const res = await fetch(`${base}/${variant}/orders`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, replayed: res.headers.get('idempotent-replayed') === 'true', body: (await res.json()) as Record<string, unknown> };
}

/** Rows per table for one variant, read over a short-lived connection (what a sql probe does). */
export async function books(url: string, variant: string): Promise<{ orders: number; ledger: number; emails: number }> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const n = async (table: string) => (await c.query(`SELECT count(*)::int AS n FROM ${table} WHERE variant = $1`, [variant])).rows[0].n as number;
    return { orders: await n('orders'), ledger: await n('ledger_entries'), emails: await n('outbox') };
  } finally {
    await c.end();
  }
}
