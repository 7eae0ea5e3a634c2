// Real databases for tests: a fresh, uniquely named database per call on the local PostgreSQL
// (127.0.0.1:5432, user postgres, trust) or MariaDB (127.0.0.1:3306, root, no password).
// If a server is down the helper starts it once; if it still is not there, the test FAILS (never skips).
//
//   const pg = await createTestPostgres();          // pg.url = postgres://postgres@127.0.0.1:5432/dt_…
//   await pg.query('create table t (n int)');
//   after(() => pg.drop());
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createConnection, type Connection } from 'mysql2/promise';

export interface TestDatabase {
  /** Connection URL of the fresh database (no password: the local servers trust loopback). */
  url: string;
  name: string;
  /** Runs one statement in the fresh database; returns its rows. */
  query(sql: string, params?: unknown[]): Promise<unknown[]>;
  /** Drops the database and closes the helper's connection; safe to call twice. */
  drop(): Promise<void>;
}

const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' };
const MY = { host: '127.0.0.1', port: 3306, user: 'root' };

function uniqueName(): string {
  return `dt_${process.pid}_${randomBytes(4).toString('hex')}`;
}

function tryStart(command: string): void {
  try {
    execSync(command, { stdio: 'ignore', timeout: 30_000, shell: '/bin/bash' });
  } catch {
    // The retry below reports the real problem.
  }
}

async function withRetry<T>(connect: () => Promise<T>, start: string, what: string): Promise<T> {
  try {
    return await connect();
  } catch (first) {
    tryStart(start);
    const deadline = Date.now() + 20_000;
    let last: unknown = first;
    while (Date.now() < deadline) {
      try {
        return await connect();
      } catch (err) {
        last = err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    throw new Error(`${what} is not running and could not be started (${start}): ${(last as Error).message}`);
  }
}

async function pgAdmin(): Promise<Client> {
  return withRetry(
    async () => {
      const c = new Client({ ...PG, database: 'postgres', connectionTimeoutMillis: 3000 });
      try {
        await c.connect();
      } catch (err) {
        await c.end().catch(() => undefined);
        throw err;
      }
      return c;
    },
    'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
    `PostgreSQL at ${PG.host}:${PG.port}`,
  );
}

export async function createTestPostgres(): Promise<TestDatabase> {
  const name = uniqueName();
  const admin = await pgAdmin();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = `postgres://${PG.user}@${PG.host}:${PG.port}/${name}`;
  const client = new Client({ connectionString: url });
  await client.connect();
  let dropped = false;
  return {
    url,
    name,
    async query(sql, params) {
      return (await client.query(sql, params as unknown[] | undefined)).rows;
    },
    async drop() {
      if (dropped) return;
      dropped = true;
      await client.end().catch(() => undefined);
      const a = await pgAdmin();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

async function myConnect(database?: string): Promise<Connection> {
  return withRetry(
    () => createConnection({ ...MY, database, connectTimeout: 3000 }),
    'start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd',
    `MariaDB at ${MY.host}:${MY.port}`,
  );
}

export async function createTestMariaDb(): Promise<TestDatabase> {
  const name = uniqueName();
  const admin = await myConnect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const conn = await myConnect(name);
  let dropped = false;
  return {
    url: `mysql://${MY.user}@${MY.host}:${MY.port}/${name}`,
    name,
    async query(sql, params) {
      const [rows] = await conn.query(sql, params);
      return Array.isArray(rows) ? (rows as unknown[]) : [rows];
    },
    async drop() {
      if (dropped) return;
      dropped = true;
      await conn.end().catch(() => undefined);
      const a = await myConnect();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name}`);
      } finally {
        await a.end();
      }
    },
  };
}
