// `npm run bench` (full, minutes) or `npm run bench -- --smoke` (seconds, for CI): runs every case in
// one go so ratios compare like with like, writes bench/results/*.json + summary.md and prints the
// tables, ending with issue 14's goals, each met / MISSED with its ratio (bench/lib/goals.ts).
//   --seconds N        per HTTP case and round (default 3; smoke 1)   --soak-seconds N  (default 300; smoke 2)
//   --pending N        copies pending in the memory case (default 10000; smoke 500)
//   --rows N           rows in the reconciler table (default 1000000; smoke 100000)
//   --rounds N         interleaved rounds of the HTTP cases, median reported (default 7; smoke 1)
//   --only a,b         http,memory(=pending,soak),kafka,reconcile  --out DIR  (default bench/results)
//   --cases a,b        only these HTTP cases (ids of HTTP_TARGETS in bench/cases/http.ts); goals whose
//                      cases are left out are reported as not measured (a warning says which first)
//   --merge            keep the other parts of an earlier OUT/summary.json (re-run one part only)
//   --no-pin           HTTP cases unpinned (default: each proxy alone on the last CPU, the rest elsewhere)
//   --baseline DIR     an earlier run's DIR/summary.json (e.g. the previous commit's): adds a
//                      before → after table of the goals and of req/s, CPU µs/req and p50 per case
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { HTTP_TARGETS, loadTool, runHttpBench } from './cases/http';
import { runKafka } from './cases/kafka';
import { runPending, runSoak } from './cases/memory';
import { runReconcile } from './cases/reconcile';
import { ROOT } from './lib/proc';
import { compareMarkdown, readBaseline } from './lib/baseline';
import { evaluateGoals, goalsWithout } from './lib/goals';
import { toMarkdown, type BenchResults } from './lib/report';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const num = (name: string, full: number, smokeValue: number) => Number(flag(name) ?? (smoke ? smokeValue : full));

const smoke = process.argv.includes('--smoke');
const only = new Set((flag('only') ?? 'http,memory,kafka,reconcile').split(','));
const outDir = resolve(flag('out') ?? join(ROOT, 'bench/results'));
const log = (l: string) => console.error(l);
const cases = flag('cases')?.split(',').filter(Boolean);

function checkCases(): void {
  if (!cases) return;
  const known = HTTP_TARGETS.map((t) => t.id);
  const unknown = cases.filter((id) => !known.includes(id));
  if (unknown.length) throw new Error(`--cases: unknown ${unknown.join(', ')} (known: ${known.join(', ')})`);
  const lost = goalsWithout(cases);
  if (lost.length) log(`--cases ${cases.join(',')}: these goals will not be evaluated: ${lost.join('; ')}`);
}

async function main(): Promise<void> {
  checkCases();
  // Read before the run, so a bad path fails in a second rather than after the whole bench.
  const baselineArg = flag('baseline');
  const baseline = baselineArg ? readBaseline(resolve(baselineArg)) : undefined;
  mkdirSync(outDir, { recursive: true });
  const earlier = join(outDir, 'summary.json');
  const base = process.argv.includes('--merge') && existsSync(earlier) ? (JSON.parse(readFileSync(earlier, 'utf8')) as BenchResults & { targets?: unknown }) : {};
  delete (base as { targets?: unknown }).targets; // the pre-goals summary's field, judged again below
  const results: BenchResults = {
    ...base,
    mode: smoke ? 'smoke' : 'full',
    startedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version, loadTool: loadTool() },
  };
  const save = (name: string, data: unknown) => writeFileSync(join(outDir, `${name}.json`), JSON.stringify(data, null, 2) + '\n');
  if (only.has('http')) {
    log('HTTP');
    const seconds = num('seconds', 3, 1);
    results.http = await runHttpBench({ seconds, warmupSeconds: smoke ? 0 : 3, latencySeconds: smoke ? 1 : 2, connections: 32, rounds: num('rounds', 7, 1), cases, pin: !process.argv.includes('--no-pin'), log });
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
  results.goals = evaluateGoals(results);
  save('summary', results);
  const md = toMarkdown(results, baseline ? compareMarkdown(baseline, results, baselineArg!) : []);
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
