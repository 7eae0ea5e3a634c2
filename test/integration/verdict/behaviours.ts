// Real HTTP services on real PostgreSQL whose behaviour with duplicates is known in advance: the truth
// table doubletap's verdict is checked against. POST /<behaviour>/<tag>/orders with an Idempotency-Key
// writes a row into `orders` (tag, key); the tag keeps runs in one database apart.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { createTestPostgres, type TestDatabase } from '../../helpers/databases';

export const SCHEMA = `
  create table orders (id bigserial primary key, tag text not null, key text, sku text);
  create table idem (tag text not null, key text not null, response jsonb not null, primary key (tag, key));`;

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
type Ctx = { pool: Pool; tag: string; key: string; sku: string; seen: Map<string, number> };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function insert(c: Ctx): Promise<number> {
  const r = await c.pool.query<{ id: string }>('insert into orders (tag, key, sku) values ($1, $2, $3) returning id', [c.tag, c.key, c.sku]);
  return Number(r.rows[0].id);
}

/** The order row, created at most once per key: claim + insert + stored response in one transaction. */
async function once(c: Ctx): Promise<{ body: Record<string, unknown>; replayed: boolean }> {
  const client = await c.pool.connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [`${c.tag}:${c.key}`]);
    const prior = await client.query<{ response: Record<string, unknown> }>('select response from idem where tag = $1 and key = $2', [c.tag, c.key]);
    if (prior.rows[0]) {
      await client.query('commit');
      return { body: prior.rows[0].response, replayed: true };
    }
    const r = await client.query<{ id: string }>('insert into orders (tag, key, sku) values ($1, $2, $3) returning id', [c.tag, c.key, c.sku]);
    // Insertion order sku, id, status: jsonb gives it back as id, sku, status (another byte string).
    const body = { sku: c.sku, id: Number(r.rows[0].id), status: 'created' };
    await client.query('insert into idem (tag, key, response) values ($1, $2, $3::jsonb)', [c.tag, c.key, JSON.stringify(body)]);
    await client.query('commit');
    return { body, replayed: false };
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

async function lastWriteWins(c: Ctx): Promise<Reply> {
  const client = await c.pool.connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [`${c.tag}:${c.key}`]);
    const runs = await client.query<{ n: string }>('select count(*) as n from orders where tag = $1 and key = $2', [c.tag, c.key]);
    if (Number(runs.rows[0].n) >= 2) {
      const stored = await client.query<{ response: unknown }>('select response from idem where tag = $1 and key = $2', [c.tag, c.key]);
      await client.query('commit');
      return { status: 201, body: stored.rows[0].response, headers: { 'idempotent-replayed': 'true' } };
    }
    const r = await client.query<{ id: string }>('insert into orders (tag, key, sku) values ($1, $2, $3) returning id', [c.tag, c.key, c.sku]);
    const body = { id: Number(r.rows[0].id), sku: c.sku };
    await client.query(
      'insert into idem (tag, key, response) values ($1, $2, $3::jsonb) on conflict (tag, key) do update set response = excluded.response',
      [c.tag, c.key, JSON.stringify(body)],
    );
    await client.query('commit');
    return { status: 201, body };
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export const BEHAVIOURS: Record<string, (c: Ctx) => Promise<Reply>> = {
  /** Runs every duplicate, answers 204: identical answers, double writes. */
  'executes-204': async (c) => (await insert(c), { status: 204 }),
  /** Runs every duplicate, answers a constant ack. */
  'constant-ack': async (c) => (await insert(c), { status: 202, body: { accepted: true } }),
  /** Runs every duplicate; the answer names the store, the same for every order: an `*_id` that is no
   * resource identity (constant across operations), so equal ids prove nothing. */
  'constant-ref': async (c) => (await insert(c), { status: 201, body: { status: 'accepted', store_id: 'store-1' } }),
  /** Runs every duplicate; the answer's id is the client's own sku: an id the request chose proves
   * nothing, since a service that runs the duplicate again echoes it the same. */
  'echo-id': async (c) => (await insert(c), { status: 201, body: { id: c.sku, status: 'created' } }),
  /** Correct; the first answer's id is a number, the replay's a string (a bigint read back by node-pg). */
  'correct-id-types': async (c) => {
    const r = await once(c);
    return { status: 201, body: r.replayed ? { ...r.body, id: String(r.body.id) } : r.body };
  },
  /** No deduplication at all, behind a per-key rate limiter that answers a key's second request 429:
   * the copies never reach the write, so nothing about duplicates is shown (a client's real retry,
   * seconds later, would pass the limiter and run again). */
  'rate-limited': async (c) => {
    const n = (c.seen.get(`${c.tag}:${c.key}`) ?? 0) + 1;
    c.seen.set(`${c.tag}:${c.key}`, n);
    if (n > 1) return { status: 429, body: { error: 'too_many_requests' } };
    return { status: 201, body: { id: await insert(c), sku: c.sku } };
  },
  /** Correct; the first answer names the order and its payment, the stored replay only the order. */
  'correct-trimmed-replay': async (c) => {
    const r = await once(c);
    const orderId = r.body.id as number;
    return { status: r.replayed ? 200 : 201, body: r.replayed ? { order_id: orderId } : { order_id: orderId, payment_id: orderId + 1000, sku: c.sku } };
  },
  /** Runs every duplicate behind a middleware that sets `Idempotent-Replayed: true` on every answer,
   * the first one too; the answer names nothing. */
  'header-always': async (c) => (await insert(c), { status: 201, body: { status: 'accepted' }, headers: { 'idempotent-replayed': 'true' } }),
  /** Correct, no replay header; the replay comes from jsonb with its keys in another order. */
  'correct-no-header': async (c) => ({ status: 201, body: (await once(c)).body }),
  /** Correct, with the conventional Idempotent-Replayed header. */
  correct: async (c) => {
    const r = await once(c);
    const headers: Record<string, string> = r.replayed ? { 'idempotent-replayed': 'true' } : {};
    return { status: 201, body: r.body, headers };
  },
  /** A wrong credential: refuses every write. */
  'refuses-401': async () => ({ status: 401, body: { error: 'unauthorized' } }),
  /** Check-then-insert without a lock: two overlapping requests both insert. */
  'check-then-insert': async (c) => {
    const prior = await c.pool.query<{ id: string }>('select id from orders where tag = $1 and key = $2 limit 1', [c.tag, c.key]);
    if (prior.rows[0]) return { status: 201, body: { id: Number(prior.rows[0].id), sku: c.sku } };
    await sleep(40);
    return { status: 201, body: { id: await insert(c), sku: c.sku } };
  },
  /** Deduplicates, but hands out a fresh id for every duplicate (nothing is written twice). */
  'fresh-id': async (c) => {
    const r = await once(c);
    return { status: 201, body: r.replayed ? { ...r.body, id: randomUUID() } : r.body };
  },
  /** Replays the stored body but inserts again. */
  'same-body-inserts': async (c) => {
    const r = await once(c);
    if (r.replayed) await insert(c);
    return { status: 201, body: r.body };
  },
  /** Writes once, but answers every duplicate with a 500 (a unique violation surfacing). */
  'fails-duplicates': async (c) => {
    const r = await once(c);
    return r.replayed ? { status: 500, body: { error: 'duplicate key value violates unique constraint' } } : { status: 201, body: r.body };
  },
  /** Writes once; refuses every duplicate with 409, forever. */
  'conflict-forever': async (c) => {
    const r = await once(c);
    return r.replayed ? { status: 409, body: { error: 'idempotency_key_in_use' } } : { status: 201, body: r.body };
  },
  /** Correct except every third duplicate, which runs again under a new id. */
  /**
   * Runs the first duplicate again and stores its answer over the original's; every later duplicate
   * replays that second answer. One extra row per key, however many copies: the copies after the first
   * name the second order, but wrote nothing.
   */
  'last-write-wins': (c) => lastWriteWins(c),
  'sometimes-twice': async (c) => {
    const r = await once(c);
    if (!r.replayed) return { status: 201, body: r.body };
    const n = (c.seen.get(c.tag) ?? 0) + 1;
    c.seen.set(c.tag, n);
    return n % 3 === 0 ? { status: 201, body: { ...r.body, id: await insert(c) } } : { status: 201, body: r.body };
  },
};

export interface BehaviourServer {
  url: string;
  /** Requests that reached the service, per tag. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startBehaviours(dbUrl: string): Promise<BehaviourServer> {
  const pool = new Pool({ connectionString: dbUrl, max: 8 });
  const hits = new Map<string, number>();
  const seen = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const [, behaviour, tag] = (req.url ?? '').split('/');
      hits.set(tag, (hits.get(tag) ?? 0) + 1);
      const run = BEHAVIOURS[behaviour];
      const key = req.headers['idempotency-key'];
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { sku?: string };
      if (!run || typeof key !== 'string') return void res.writeHead(400).end('{"error":"idempotency-key required"}');
      run({ pool, tag, key, sku: body.sku ?? '', seen })
        .then((r) => {
          const text = r.body === undefined ? '' : JSON.stringify(r.body);
          res.writeHead(r.status, { ...(text ? { 'content-type': 'application/json' } : {}), ...r.headers });
          res.end(text);
        })
        .catch((err: Error) => res.writeHead(500).end(JSON.stringify({ error: err.message })));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await pool.end();
    },
  };
}

/** Mocha hooks: a fresh database with the schema and the behaviour server, for one describe block. */
export function useBehaviours(): { db: () => TestDatabase; svc: () => BehaviourServer } {
  let db: TestDatabase | undefined;
  let svc: BehaviourServer | undefined;
  before(async () => {
    db = await createTestPostgres();
    for (const stmt of SCHEMA.split(';').filter((s) => s.trim())) await db.query(stmt);
    svc = await startBehaviours(db.url);
  });
  after(async () => {
    await svc?.close();
    await db?.drop();
  });
  return { db: () => db!, svc: () => svc! };
}
