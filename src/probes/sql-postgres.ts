// PostgreSQL runner: one pooled connection, BEGIN READ ONLY + SET LOCAL statement_timeout per read.
import { Pool } from 'pg';
import type { SqlRunner } from './sql';

export function createPostgresRunner(url: string, timeoutMs: number): SqlRunner {
  const pool = new Pool({
    connectionString: url,
    max: 1,
    connectionTimeoutMillis: timeoutMs,
    // Client-side guard in case the server never answers (the server-side timeout is SET LOCAL below).
    query_timeout: timeoutMs + 1000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection dropped by the server must not crash the process.
  pool.on('error', () => undefined);
  let closed = false;
  return {
    async firstRow(sql, ms, params) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN READ ONLY');
        await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(ms))}`);
        // Extended protocol: one statement only, so `…; COMMIT; DELETE …` cannot leave the transaction.
        // A keyed probe's keys arrive as one array parameter ($1): pg sends it as text[].
        const res = await client.query({ text: sql, values: params, queryMode: 'extended', rowMode: 'array' } as never);
        const r = res as unknown as { rows: unknown[][] };
        return { rows: r.rows.length, values: r.rows[0] ?? [] };
      } catch (err) {
        broken = true;
        throw err;
      } finally {
        await client.query('ROLLBACK').catch(() => (broken = true));
        client.release(broken ? true : undefined);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
