// The side effects of one order, all inside the caller's transaction: the order, a debit and a credit
// ledger entry, and one outbox email.
import type { Queryer } from './db';

export interface OrderInput {
  sku: string;
  amount_cents: number;
}

export interface OrderReply {
  status: number;
  body: Record<string, unknown>;
}

/** 400 reply when the body is not an order, else undefined. */
export function invalidOrder(body: unknown): OrderReply | undefined {
  const b = body as Partial<OrderInput> | undefined;
  if (!b || typeof b !== 'object') return { status: 400, body: { error: 'invalid_request', message: 'JSON body required' } };
  if (typeof b.sku !== 'string' || b.sku === '') return { status: 400, body: { error: 'invalid_request', message: 'sku must be a non-empty string' } };
  if (!Number.isInteger(b.amount_cents) || (b.amount_cents as number) <= 0) {
    return { status: 400, body: { error: 'invalid_request', message: 'amount_cents must be a positive integer' } };
  }
  return undefined;
}

export async function createOrder(q: Queryer, variant: string, input: OrderInput, key?: string): Promise<OrderReply> {
  const [order] = await q.query<{ id: number }>(
    'INSERT INTO orders (variant, sku, amount_cents, idempotency_key) VALUES ($1, $2, $3, $4) RETURNING id',
    [variant, input.sku, input.amount_cents, key ?? null],
  );
  await q.query(
    `INSERT INTO ledger_entries (variant, order_id, account, direction, amount_cents)
     VALUES ($1, $2, 'customer_receivable', 'debit', $3), ($1, $2, 'revenue', 'credit', $3)`,
    [variant, order.id, input.amount_cents],
  );
  await q.query(`INSERT INTO outbox (variant, order_id, kind, payload) VALUES ($1, $2, 'order_confirmation', $3::jsonb)`, [
    variant, order.id, JSON.stringify({ order_id: order.id, sku: input.sku }),
  ]);
  return { status: 201, body: { id: order.id, sku: input.sku, amount_cents: input.amount_cents, variant } };
}
