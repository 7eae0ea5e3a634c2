// `npx tsx bench/perf-origins.ts [--fractions 0,0.1 | FRACTION[:PROBE][@FLAG,…]] [--delay-ms 5-50] [--rounds 4] [--seconds 5] [--warmup 10] [--hz 4999]`
// (after `npm run build`; needs perf, Debian package linux-perf): where a proxy's CPU goes, natively,
// by origin (bench/lib/perf-origins.ts: our JS, undici's, Node's, V8's builtins, GC, C++, kernel), per
// request, for each fraction, and each origin's change against the first fraction round by round.
// Sampling (cpu-clock) needs no hardware counters; callgrind (bench/instructions.ts) counts exactly but
// without the kernel, the real caches or native JIT state. Proxies run pinned and serially under wrk
// -c32, one round of each after the other; perf samples `--seconds` of each round.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runLoad } from './lib/load';
import { arg, delayArg, replayRules, targetSpec } from './lib/options';
import { originsPerRequest, parsePerfReport } from './lib/perf-origins';
import { ROOT, pinning, startDoubletap, startTs } from './lib/proc';

const fractions = arg('fractions', '0,0.1').split(',');
const delay = delayArg('5-50');
const rounds = Number(arg('rounds', '4'));
const seconds = Number(arg('seconds', '5'));
const warmup = Number(arg('warmup', '10'));
const hz = Number(arg('hz', '4999'));
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
  // per target, per round: µs per request by origin
  const results: Array<Array<Map<string, number>>> = targets.map(() => []);
  try {
    for (const p of proxies) await runLoad({ url: p.url + '/orders', connections: 32, seconds: warmup, nonce: `warm-${p.pid}` });
    targets.forEach((t, i) => t.halts && proxies[i].proc.send({ cmd: 'halt' }));
    for (let round = 0; round < rounds; round++) {
      const line: string[] = [];
      for (const [i, p] of proxies.entries()) {
        const file = join(dir, `f${targets[i].spec.replace(/[^\w.]/g, '_')}-r${round}.data`);
        const recording = record(p.pid, file);
        const load = await runLoad({ url: p.url + '/orders', connections: 32, seconds: seconds + 1, nonce: `r${round}-${p.pid}` });
        await recording;
        const report = execFileSync('perf', ['report', '-i', file, '--sort', 'dso,sym', '--stdio', '-q', '-n', '--percent-limit', '0'], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
        const byOrigin = originsPerRequest(parsePerfReport(report), hz, load.rps * seconds);
        results[i].push(byOrigin);
        line.push(`${targets[i].spec} ${load.rps.toFixed(0)} req/s ${sum(byOrigin.values()).toFixed(0)} µs`);
      }
      console.log(`round ${round + 1}: ${line.join(' | ')}`);
    }
  } finally {
    for (const p of proxies) await p.stop();
    await upstream.stop();
    pinned?.release();
  }
  const origins = [...new Set(results.flatMap((rs) => rs.flatMap((m) => [...m.keys()])))];
  const at = (i: number, r: number, o: string) => results[i][r].get(o) ?? 0;
  /** Target i's mean over the rounds of f(round). */
  const overRounds = (i: number, f: (r: number) => number) => mean(results[i].map((_, r) => f(r)));
  const total = (i: number) => overRounds(i, (r) => sum(results[i][r].values()));
  console.log(`\nCPU µs per request by origin (mean of ${rounds} rounds${pinned ? ', pinned' : ''}); Δ: each round against ${targets[0].spec}`);
  for (const [i, t] of targets.entries()) {
    if (i === 0) continue;
    console.log(`\n${targets[0].spec} → ${t.spec}: total ${total(0).toFixed(1)} → ${total(i).toFixed(1)}`);
    const rows = origins.map((o) => {
      const deltas = results[i].map((_, r) => at(i, r, o) - at(0, r, o));
      return { o, base: overRounds(0, (r) => at(0, r, o)), mine: overRounds(i, (r) => at(i, r, o)), deltas };
    }).filter((row) => row.base >= 0.05 || row.mine >= 0.05).sort((a, b) => mean(b.deltas) - mean(a.deltas));
    for (const row of rows) {
      console.log(`  ${row.o.padEnd(28)} ${row.base.toFixed(2).padStart(7)} → ${row.mine.toFixed(2).padStart(7)}   Δ ${row.deltas.map((d) => (d >= 0 ? '+' : '') + d.toFixed(2)).join(' ')}`);
    }
  }
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
