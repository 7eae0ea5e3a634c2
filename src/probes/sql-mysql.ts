// MySQL/MariaDB runner: one pooled connection, START TRANSACTION READ ONLY + a statement timeout per read.
import { createPool, type PoolConnection } from 'mysql2/promise';
import type { SqlRunner } from './sql';

export function createMysqlRunner(url: URL, timeoutMs: number): SqlRunner {
  const pool = createPool({
    host: url.hostname,
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username) || undefined,
    password: decodeURIComponent(url.password) || undefined,
    database: url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : undefined,
    connectionLimit: 1,
    connectTimeout: timeoutMs,
    multipleStatements: false,
    // Big integers as strings, converted (and checked) by the probe.
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  let mariadb: boolean | undefined;
  let closed = false;

  // MariaDB names it max_statement_time (seconds); MySQL max_execution_time (ms, SELECT only).
  async function setTimeoutFor(conn: PoolConnection, ms: number): Promise<void> {
    if (mariadb === undefined) {
      const [rows] = await conn.query('SELECT VERSION() AS v');
      mariadb = /mariadb/i.test(String((rows as Array<{ v: string }>)[0]?.v));
    }
    if (mariadb) await conn.query(`SET SESSION max_statement_time = ${Math.max(0.001, ms / 1000)}`);
    else await conn.query(`SET SESSION max_execution_time = ${Math.max(1, Math.floor(ms))}`);
  }

  return {
    async firstRow(sql, ms, params) {
      const conn = await pool.getConnection();
      let broken = false;
      try {
        await setTimeoutFor(conn, ms);
        await conn.query('START TRANSACTION READ ONLY');
        // MySQL's SLEEP() returns 1 instead of failing when max_execution_time hits: the client-side
        // timeout (which closes the connection) is what turns that into an error.
        // A keyed probe's keys: mysql2 expands an array bound to `?` into a quoted list (`IN (?)`).
        const [rows] = await conn.query({ sql, values: params, rowsAsArray: true, timeout: ms + 250 });
        const list = rows as unknown[][];
        return { rows: list.length, values: list[0] ?? [] };
      } catch (err) {
        broken = true;
        throw err;
      } finally {
        if (!broken) await conn.query('ROLLBACK').catch(() => (broken = true));
        if (broken) conn.destroy();
        else conn.release();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
