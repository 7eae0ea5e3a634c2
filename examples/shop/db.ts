// Storage for the shop: one small interface over a pg Pool (DATABASE_URL) or an embedded PGlite.
import { Pool } from 'pg';

export interface Queryer {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface ShopDb extends Queryer {
  kind: 'postgres' | 'pglite';
  /** A postgres:// URL that probes (doubletap's sql probe, psql, pg) can use to read the books. */
  url: string;
  /** Runs fn in one transaction: commit when it resolves, roll back when it throws. */
  tx<T>(fn: (q: Queryer) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function createPgDb(url: string): ShopDb {
  const pool = new Pool({ connectionString: url, max: 10 });
  // An idle client's error (server restart) must not crash the shop.
  pool.on('error', () => undefined);
  // A checked-out client whose server goes away mid-transaction emits 'error' too: without a listener
  // that crashes the process. The query's own rejection already answers the request with a 500.
  const guarded = new WeakSet<object>();
  return {
    kind: 'postgres',
    url,
    query: async (sql, params) => (await pool.query(sql, params)).rows,
    async tx(fn) {
      const client = await pool.connect();
      if (!guarded.has(client)) {
        guarded.add(client);
        client.on('error', () => undefined);
      }
      try {
        await client.query('BEGIN');
        const out = await fn({ query: async (sql, params) => (await client.query(sql, params)).rows });
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** A FIFO mutex: PGlite is one connection, so the shop and the socket clients take turns. */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return ready;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
