// `npx tsx bench/perf-origins.ts [--fractions 0,0.1 | FRACTION[:PROBE][@FLAG,…]] [--delay-ms 5-50] [--rounds 4] [--seconds 5] [--warmup 10] [--hz 4999] [--paired] [--symbols N]`
// (after `npm run build`; needs perf, Debian package linux-perf): where a proxy's CPU goes, natively,
// by origin (bench/lib/perf-origins.ts: our JS, undici's, Node's, V8's builtins, GC, C++, kernel), per
// request, for each fraction, and each origin's change against the first fraction round by round.
// Sampling (cpu-clock) needs no hardware counters; callgrind (bench/instructions.ts) counts exactly but
// without the kernel, the real caches or native JIT state. Proxies run pinned and serially under wrk
// -c32, one round of each after the other; perf samples `--seconds` of each round. --paired loads and
// samples them all at once, each with its own wrk (32 connections shared out), as cost-by-fraction
// --paired does: they meet the same VM speed at every instant, so its drift cancels in the differences.
// --symbols N: also the N symbols whose CPU per request changed most (either way), each named with its origin.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { connectionsEach, runLoad } from './lib/load';
import { arg, delayArg, replayRules, targetSpec } from './lib/options';
import { originsPerRequest, parsePerfReport, symbolsPerRequest, type PerfLine } from './lib/perf-origins';
import { ROOT, pinning, startDoubletap, startTs } from './lib/proc';

const fractions = arg('fractions', '0,0.1').split(',');
const delay = delayArg('5-50');
const rounds = Number(arg('rounds', '4'));
const seconds = Number(arg('seconds', '5'));
const warmup = Number(arg('warmup', '10'));
const hz = Number(arg('hz', '4999'));
const paired = process.argv.includes('--paired');
const symbols = Number(arg('symbols', '0'));
const dir = join(ROOT, 'bench/results/perf');

function record(pid: number, file: string): Promise<void> {
  const perf = spawn('perf', ['record', '-q', '-e', 'cpu-clock', '-F', String(hz), '-p', String(pid), '-o', file, '--', 'sleep', String(seconds)], { stdio: 'ignore' });
  return new Promise((ok, fail) => perf.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`perf record exited ${code} (perf_event_paranoid? run as root)`)))));
}

const sum = (xs: Iterable<number>) => [...xs].reduce((s, x) => s + x, 0);
const mean = (xs: number[]) => sum(xs) / xs.length;

async function main(): Promise<void> {
  try {
    execFileSync('perf', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('perf is missing (Debian package linux-perf)');
  }
  mkdirSync(dir, { recursive: true });
  const pinned = pinning();
  const targets = fractions.map((spec) => ({ spec, ...targetSpec(spec) }));
  const upstream = await startTs('bench/servers/upstream.ts');
  const proxies = await Promise.all(targets.map((t) => startDoubletap(upstream.url, replayRules(t.fraction, delay), t.proxyArgs, ['--perf-basic-prof', ...t.nodeFlags])));
  for (const p of proxies) pinned?.pinProxy(p.pid);
  // per target, per round: µs per request by origin, and by symbol
  const results: Array<Array<Map<string, number>>> = targets.map(() => []);
  const bySymbol: Array<Array<Map<string, number>>> = targets.map(() => []);
  try {
    const connections = connectionsEach(proxies.length, paired);
    for (const p of proxies) await runLoad({ url: p.url + '/orders', connections, seconds: warmup, nonce: `warm-${p.pid}` });
    targets.forEach((t, i) => t.halts && proxies[i].proc.send({ cmd: 'halt' }));
    const rps: number[][] = targets.map(() => []);
    /** One proxy's round: `--seconds` sampled under a load a second longer; the report is read after every load ended. */
    const measure = async (i: number, round: number): Promise<() => PerfLine[]> => {
      const p = proxies[i];
      const file = join(dir, `f${targets[i].spec.replace(/[^\w.]/g, '_')}-r${round}.data`);
      const recording = record(p.pid, file);
      const load = await runLoad({ url: p.url + '/orders', connections, seconds: seconds + 1, nonce: `r${round}-${p.pid}` });
      await recording;
      rps[i].push(load.rps);
      return () => parsePerfReport(execFileSync('perf', ['report', '-i', file, '--sort', 'dso,sym', '--stdio', '-q', '-n', '--percent-limit', '0'], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] }).toString());
    };
    for (let round = 0; round < rounds; round++) {
      const reports: Array<() => PerfLine[]> = [];
      if (paired) reports.push(...(await Promise.all(proxies.map((_, i) => measure(i, round)))));
      else for (const i of proxies.keys()) reports.push(await measure(i, round));
      const got = reports.map((read, i) => {
        const lines = read();
        const requests = rps[i][round] * seconds;
        bySymbol[i].push(symbolsPerRequest(lines, hz, requests));
        results[i].push(originsPerRequest(lines, hz, requests));
        return results[i][round];
      });
      console.log(`round ${round + 1}: ${got.map((byOrigin, i) => `${targets[i].spec} ${rps[i][round].toFixed(0)} req/s ${sum(byOrigin.values()).toFixed(0)} µs`).join(' | ')}`);
    }
  } finally {
    for (const p of proxies) await p.stop();
    await upstream.stop();
    pinned?.release();
  }
  console.log(`\nCPU µs per request by origin (mean of ${rounds} ${paired ? 'paired' : 'serial'} rounds${pinned ? ', pinned' : ''}); Δ: each round against ${targets[0].spec}`);
  printChanges(results, (rows) => rows.filter((row) => row.base >= 0.05 || row.mine >= 0.05));
  if (symbols > 0) {
    console.log(`\nThe ${symbols} symbols whose CPU µs per request changed most`);
    printChanges(bySymbol, (rows) => rows.sort((a, b) => Math.abs(mean(b.deltas)) - Math.abs(mean(a.deltas))).slice(0, symbols));
  }
}

interface Change { key: string; base: number; mine: number; deltas: number[] }

/** Each target against the first: every key's mean over the rounds, and its change round by round (largest rise first). */
function printChanges(results: Array<Array<Map<string, number>>>, pick: (rows: Change[]) => Change[]): void {
  const keys = [...new Set(results.flatMap((rs) => rs.flatMap((m) => [...m.keys()])))];
  const at = (i: number, r: number, key: string) => results[i][r].get(key) ?? 0;
  /** Target i's mean over the rounds of f(round). */
  const overRounds = (i: number, f: (r: number) => number) => mean(results[i].map((_, r) => f(r)));
  const total = (i: number) => overRounds(i, (r) => sum(results[i][r].values()));
  for (const [i, spec] of fractions.entries()) {
    if (i === 0) continue;
    console.log(`\n${fractions[0]} → ${spec}: total ${total(0).toFixed(1)} → ${total(i).toFixed(1)}`);
    const rows = keys.map((key) => {
      const deltas = results[i].map((_, r) => at(i, r, key) - at(0, r, key));
      return { key, base: overRounds(0, (r) => at(0, r, key)), mine: overRounds(i, (r) => at(i, r, key)), deltas };
    });
    for (const row of pick(rows).sort((a, b) => mean(b.deltas) - mean(a.deltas))) {
      console.log(`  ${row.key.slice(0, 90).padEnd(28)} ${row.base.toFixed(2).padStart(7)} → ${row.mine.toFixed(2).padStart(7)}   Δ ${row.deltas.map((d) => (d >= 0 ? '+' : '') + d.toFixed(2)).join(' ')}`);
    }
  }
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
