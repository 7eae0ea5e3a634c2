// Embedded PostgreSQL (PGlite, WASM, in process) for a shop without DATABASE_URL. PGlite serves one
// session: every shop statement and transaction, and every socket client's session, goes through one
// Mutex so nothing interleaves (a probe never sees half a transaction, nor breaks the shop's
// extended-protocol messages).
import { PGlite } from '@electric-sql/pglite';
import { Mutex, type ShopDb } from './db';
import { startPgliteSocket } from './pglite-socket';

export async function createPgliteDb(opts: { host?: string } = {}): Promise<ShopDb> {
  const pg = await PGlite.create();
  const mutex = new Mutex();
  const socket = await startPgliteSocket(pg, mutex, { host: opts.host ?? '127.0.0.1' });
  const rows = async <R>(p: Promise<{ rows: unknown[] }>): Promise<R[]> => (await p).rows as R[];
  return {
    kind: 'pglite',
    url: socket.url,
    query: (sql, params) => mutex.run(() => rows(pg.query(sql, params))),
    tx: (fn) => mutex.run(() => pg.transaction((t) => fn({ query: (sql, params) => rows(t.query(sql, params)) }))),
    async close() {
      await socket.close();
      await mutex.run(() => pg.close());
    },
  };
}
