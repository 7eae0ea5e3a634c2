// sql probe: one read-only query returning one number, on PostgreSQL or MySQL/MariaDB (by URL scheme).
import { ConfigError, ProbeError, messageOf } from '../errors';
import type { SqlProbe } from '../scenario/schema-probes';
import { describeUrl, resolveSecret, scrub } from '../secrets';
import { describeValue, toNumber } from './number';
import { createPostgresRunner } from './sql-postgres';
import { createMysqlRunner } from './sql-mysql';
import type { Probe } from './types';

/** Runs `sql` in a read-only transaction with a statement timeout; returns the first row's values. */
export interface SqlRunner {
  firstRow(sql: string, timeoutMs: number, params?: unknown[]): Promise<{ rows: number; values: unknown[] }>;
  close(): Promise<void>;
}

// Defence in depth next to the READ ONLY transaction: MySQL DDL commits implicitly and would escape it.
const READ_KEYWORDS = new Set(['select', 'with', 'values', 'table', 'show']);

export function firstKeyword(sql: string): string {
  const stripped = sql.replace(/^(\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/|\()+/, '');
  return (/^[a-z]+/i.exec(stripped)?.[0] ?? '').toLowerCase();
}

export function createSqlProbe(name: string, spec: SqlProbe, env: NodeJS.ProcessEnv = process.env): Probe {
  const url = resolveSecret(spec.url, `probes.${name}.url`, env);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError([`probes.${name}.url: not a valid connection URL (value not shown)`]);
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  const secrets = [url, decodeURIComponent(parsed.password), parsed.password];
  const where = `${scheme === 'postgresql' ? 'postgres' : scheme} ${describeUrl(url)}`;
  let runner: SqlRunner;
  if (scheme === 'postgres' || scheme === 'postgresql') runner = createPostgresRunner(url, spec.timeout);
  else if (scheme === 'mysql' || scheme === 'mariadb') runner = createMysqlRunner(parsed, spec.timeout);
  else throw new ConfigError([`probes.${name}.url: unsupported scheme ${scheme}: (use postgres://, postgresql://, mysql:// or mariadb://)`]);

  const keyword = firstKeyword(spec.sql);
  return {
    name,
    kind: 'sql',
    keys: spec.keys,
    async read(keys) {
      if (!READ_KEYWORDS.has(keyword)) {
        throw new ProbeError(name, `only read queries are allowed (the query starts with ${keyword || 'nothing'})`);
      }
      if (spec.keys && keys === undefined) throw new ProbeError(name, 'a keyed probe is read with the run\'s keys, after settle');
      // MySQL cannot bind an empty list (`IN ()`): no keys means no rows for them.
      if (spec.keys && keys!.length === 0) return 0;
      let result: { rows: number; values: unknown[] };
      try {
        result = await runner.firstRow(spec.sql, spec.timeout, spec.keys ? [[...keys!]] : undefined);
      } catch (err) {
        throw new ProbeError(name, `cannot read from ${where}: ${scrub(messageOf(err), secrets)}`);
      }
      if (result.rows !== 1) throw new ProbeError(name, `query returned ${result.rows} rows from ${where}, expected exactly 1`);
      if (result.values.length !== 1) {
        throw new ProbeError(name, `query returned ${result.values.length} columns from ${where}, expected exactly 1`);
      }
      const raw = result.values[0];
      if (raw === null) {
        throw new ProbeError(name, `query returned NULL from ${where} (an empty sum is NULL: wrap it in coalesce(…, 0))`);
      }
      const n = toNumber(raw);
      if (n === undefined) throw new ProbeError(name, `query returned ${describeValue(raw)} from ${where}, not a number`);
      return n;
    },
    close: () => runner.close(),
  };
}
