// The shop's books. Every table has `variant`, so one shop serves every variant and probes can count
// per variant (`select count(*) from orders where variant = 'naive'`).
import type { ShopDb } from './db';

const DDL = [
  `CREATE TABLE IF NOT EXISTS orders (
     id SERIAL PRIMARY KEY, variant TEXT NOT NULL, sku TEXT NOT NULL, amount_cents INTEGER NOT NULL,
     idempotency_key TEXT, created_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
  // Double entry: every order writes one debit and one credit of the same amount.
  `CREATE TABLE IF NOT EXISTS ledger_entries (
     id SERIAL PRIMARY KEY, variant TEXT NOT NULL, order_id INTEGER NOT NULL REFERENCES orders(id),
     account TEXT NOT NULL, direction TEXT NOT NULL CHECK (direction IN ('debit', 'credit')),
     amount_cents INTEGER NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
  // Transactional outbox: the confirmation email is a row written with the order, sent later.
  `CREATE TABLE IF NOT EXISTS outbox (
     id SERIAL PRIMARY KEY, variant TEXT NOT NULL, order_id INTEGER, kind TEXT NOT NULL,
     payload JSONB NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
  `CREATE TABLE IF NOT EXISTS idempotency_keys (
     variant TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, status_code INTEGER,
     response JSONB, created_at TIMESTAMPTZ NOT NULL DEFAULT now(), expires_at TIMESTAMPTZ NOT NULL,
     PRIMARY KEY (variant, key))`,
  `CREATE TABLE IF NOT EXISTS payments (
     id SERIAL PRIMARY KEY, variant TEXT NOT NULL, message_id TEXT NOT NULL, payment_id TEXT,
     amount_cents INTEGER, created_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
  `CREATE TABLE IF NOT EXISTS processed_messages (
     variant TEXT NOT NULL, message_id TEXT NOT NULL, processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
     PRIMARY KEY (variant, message_id))`,
];

export async function createSchema(db: ShopDb): Promise<void> {
  // Two shops starting on one database at once would race on CREATE TABLE IF NOT EXISTS.
  await db.tx(async (q) => {
    await q.query('SELECT pg_advisory_xact_lock(4242001)');
    for (const sql of DDL) await q.query(sql);
  });
}

export const COUNTED_TABLES = { orders: 'orders', ledger_entries: 'ledger_entries', emails: 'outbox', payments: 'payments' } as const;
