// `npm run bench` (full, minutes) or `npm run bench -- --smoke` (seconds, for CI): runs every case in
// one go so ratios compare like with like, writes bench/results/*.json + summary.md, prints the table.
//   --seconds N        per HTTP case (default 10; smoke 1)     --soak-seconds N  (default 300; smoke 2)
//   --pending N        copies pending in the memory case (default 10000; smoke 500)
//   --rows N           rows in the reconciler table (default 1000000; smoke 100000)
//   --rounds N         interleaved rounds of the HTTP cases, median reported (default 3; smoke 1)
//   --only a,b         http,memory(=pending,soak),kafka,reconcile  --out DIR  (default bench/results)
//   --merge            keep the other parts of an earlier OUT/summary.json (re-run one part only)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { loadTool, runHttpBench } from './cases/http';
import { runKafka } from './cases/kafka';
import { runPending, runSoak } from './cases/memory';
import { runReconcile } from './cases/reconcile';
import { ROOT } from './lib/proc';
import { evaluateTargets, toMarkdown, type BenchResults } from './lib/report';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const num = (name: string, full: number, smokeValue: number) => Number(flag(name) ?? (smoke ? smokeValue : full));

const smoke = process.argv.includes('--smoke');
const only = new Set((flag('only') ?? 'http,memory,kafka,reconcile').split(','));
const outDir = resolve(flag('out') ?? join(ROOT, 'bench/results'));
const log = (l: string) => console.error(l);

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const earlier = join(outDir, 'summary.json');
  const base = process.argv.includes('--merge') && existsSync(earlier) ? (JSON.parse(readFileSync(earlier, 'utf8')) as BenchResults) : {};
  const results: BenchResults = {
    ...base,
    mode: smoke ? 'smoke' : 'full',
    startedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version, loadTool: loadTool() },
  };
  const save = (name: string, data: unknown) => writeFileSync(join(outDir, `${name}.json`), JSON.stringify(data, null, 2) + '\n');
  if (only.has('http')) {
    log('HTTP');
    const seconds = num('seconds', 10, 1);
    results.http = await runHttpBench({ seconds, warmupSeconds: smoke ? 0 : 2, latencySeconds: smoke ? 1 : 5, connections: 32, rounds: num('rounds', 3, 1), log });
    save('http', results.http);
  }
  if (only.has('memory') || only.has('pending')) {
    log('Memory: pending copies');
    const n = num('pending', 10_000, 500);
    results.pending = [await runPending(n, log, 200), await runPending(n, log, 4096)];
  }
  if (only.has('memory') || only.has('soak')) {
    log('Memory: soak');
    results.soak = await runSoak(num('soak-seconds', 300, 2), num('soak-rate', 1000, 500), log);
  }
  if (results.pending || results.soak) save('memory', { pending: results.pending, soak: results.soak });
  if (only.has('reconcile')) {
    log('Reconciler');
    results.reconcile = await runReconcile(num('rows', 1_000_000, 100_000), log);
    save('reconcile', results.reconcile);
  }
  if (only.has('kafka')) {
    log('Kafka (bench/relay.ts)');
    results.kafka = await runKafka(smoke, log);
    save('kafka', results.kafka);
  }
  results.targets = evaluateTargets(results);
  save('summary', results);
  const md = toMarkdown(results);
  writeFileSync(join(outDir, 'summary.md'), md);
  process.stdout.write(md);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
