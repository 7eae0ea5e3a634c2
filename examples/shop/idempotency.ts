// Idempotency-Key handling done the way the best payment APIs do it: the claim, the side effects and
// the stored response commit in ONE transaction. An advisory lock taken with try-lock tells "another
// request holds this key right now" (→ 409) without waiting; the claim itself is an atomic upsert
// (INSERT … ON CONFLICT … WHERE expired … RETURNING), never check-then-insert.
import { createHash } from 'node:crypto';
import type { Queryer, ShopDb } from './db';
import type { OrderReply } from './orders';
import type { IdemCounter } from './metrics';

export interface IdempotentReply extends OrderReply {
  replayed: boolean;
  /** Which dedup counter this reply should raise, if any (after commit). */
  counter?: IdemCounter;
}

export interface IdempotencyOptions {
  variant: string;
  key: string;
  body: unknown;
  /** false = the no-fingerprint variant: a reused key with another body gets the original's reply. */
  checkFingerprint: boolean;
  ttlMs: number;
}

/** sha256 of the body in canonical JSON (keys sorted), so key order does not change the fingerprint. */
export function fingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

const CLAIM = `INSERT INTO idempotency_keys (variant, key, fingerprint, expires_at)
  VALUES ($1, $2, $3, now() + ($4::double precision * interval '1 millisecond'))
  ON CONFLICT (variant, key) DO UPDATE
    SET fingerprint = EXCLUDED.fingerprint, status_code = NULL, response = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
    WHERE idempotency_keys.expires_at <= now()
  RETURNING key`;

export async function withIdempotency(
  db: ShopDb, o: IdempotencyOptions, work: (q: Queryer) => Promise<OrderReply>,
): Promise<IdempotentReply> {
  const fp = fingerprint(o.body);
  return db.tx(async (q) => {
    const [lock] = await q.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS ok', [`${o.variant}:${o.key}`]);
    if (!lock.ok) return inProgress();
    const claimed = await q.query(CLAIM, [o.variant, o.key, fp, o.ttlMs]);
    if (claimed.length === 0) return answerFromStore(q, o, fp);
    const reply = await work(q);
    // Stored in the same transaction: if anything above throws, the claim rolls back with the order.
    await q.query('UPDATE idempotency_keys SET status_code = $3, response = $4::jsonb WHERE variant = $1 AND key = $2', [
      o.variant, o.key, reply.status, JSON.stringify(reply.body),
    ]);
    return { ...reply, replayed: false };
  });
}

async function answerFromStore(q: Queryer, o: IdempotencyOptions, fp: string): Promise<IdempotentReply> {
  const [row] = await q.query<{ fingerprint: string; status_code: number | null; response: Record<string, unknown> | null }>(
    'SELECT fingerprint, status_code, response FROM idempotency_keys WHERE variant = $1 AND key = $2', [o.variant, o.key],
  );
  if (!row || row.status_code === null) return inProgress();
  if (o.checkFingerprint && row.fingerprint !== fp) {
    return {
      status: 422, replayed: false, counter: 'mismatches',
      body: { error: 'idempotency_key_reused', message: 'this Idempotency-Key was used with a different request body' },
    };
  }
  return { status: row.status_code, body: row.response ?? {}, replayed: true, counter: 'hits' };
}

function inProgress(): IdempotentReply {
  return {
    status: 409, replayed: false, counter: 'conflicts',
    body: { error: 'idempotency_key_in_use', message: 'a request with this Idempotency-Key is still in progress; retry later' },
  };
}
