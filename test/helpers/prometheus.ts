// A real Prometheus for tests: Debian's /usr/bin/prometheus on a free loopback port, with a temp
// config and temp storage, scraping the given targets. Missing binary → the test FAILS (never skips).
//
//   const prom = await startPrometheus({ scrapeTargets: ['127.0.0.1:PORT'], scrapeInterval: '1s' });
//   const value = await prom.waitForSample('sum(my_counter_total)', 15_000);
//   after(() => prom.stop());
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

export interface TestPrometheus {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  /** Instant query; resolves with the single sample's value once one exists (polls every 200 ms). */
  waitForSample(query: string, timeoutMs: number, predicate?: (v: number) => boolean): Promise<number>;
  stop(): Promise<void>;
}

export interface PrometheusOptions {
  /** host:port of each /metrics endpoint to scrape (job `test`). */
  scrapeTargets?: string[];
  /** More jobs: job name → host:port targets (the dashboards break down by job and instance). */
  jobs?: Record<string, string[]>;
  scrapeInterval?: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function startPrometheus(opts: PrometheusOptions): Promise<TestPrometheus> {
  if (!existsSync(PROMETHEUS_BIN)) {
    throw new Error(`${PROMETHEUS_BIN} not found: install Debian's prometheus package (apt-get install prometheus)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'dt-prom-'));
  const interval = opts.scrapeInterval ?? '1s';
  const config = [
    'global:',
    `  scrape_interval: ${interval}`,
    `  evaluation_interval: ${interval}`,
    'scrape_configs:',
    ...Object.entries({ ...(opts.scrapeTargets ? { test: opts.scrapeTargets } : {}), ...opts.jobs }).flatMap(([job, targets]) => [
      `  - job_name: ${JSON.stringify(job)}`,
      `    scrape_interval: ${interval}`,
      `    scrape_timeout: ${interval}`,
      '    static_configs:',
      `      - targets: [${targets.map((t) => JSON.stringify(t)).join(', ')}]`,
    ]),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A test process that dies (or mocha --exit) must not leave a Prometheus behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited with ${child.exitCode}: ${output}`);
    }
    try {
      const res = await fetch(`${url}/-/ready`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not become ready on ${url} within 20s: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    stop,
    async waitForSample(query, timeoutMs, predicate = () => true) {
      const end = Date.now() + timeoutMs;
      let last = 'no answer';
      while (Date.now() < end) {
        const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`);
        const body = (await res.json()) as { data?: { result?: Array<{ value: [number, string] }> } };
        const sample = body.data?.result?.[0];
        if (sample) {
          const v = Number(sample.value[1]);
          if (predicate(v)) return v;
          last = `last value ${v}`;
        } else last = 'empty vector';
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`no matching sample for ${query} within ${timeoutMs}ms (${last})`);
    },
  };
}
