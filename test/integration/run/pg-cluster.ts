// A throwaway PostgreSQL cluster (initdb + pg_ctl in a temp dir, run as user postgres) that a test may
// stop: the machine's shared PostgreSQL must never be stopped by a test.
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../helpers/prometheus';

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PgCluster {
  url: string;
  stop(): void;
  /** Stops (if running) and deletes the cluster's directory. */
  destroy(): void;
}

function asPostgres(cmd: string): void {
  // initdb refuses to run as root; the directory belongs to postgres.
  execFileSync('su', ['postgres', '-c', cmd], { stdio: 'pipe', timeout: 30_000 });
}

export async function startPgCluster(): Promise<PgCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'dt-pgc-'));
  chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
  const port = await freePort();
  const data = join(dir, 'data');
  asPostgres(`${BIN}/initdb -D ${data} -A trust -U postgres --no-sync -E UTF8 >/dev/null`);
  asPostgres(`${BIN}/pg_ctl -D ${data} -o '-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off' -l ${dir}/log -w start >/dev/null`);
  let running = true;
  const stop = () => {
    if (!running) return;
    running = false;
    asPostgres(`${BIN}/pg_ctl -D ${data} -m immediate stop >/dev/null`);
  };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop,
    destroy() {
      try {
        stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
