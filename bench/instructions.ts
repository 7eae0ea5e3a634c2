// `npx tsx bench/instructions.ts [--fractions 0,0.1 | FRACTION[:PROBE][@FLAG,…] as in cost-by-fraction] [--warm 12000] [--requests 3000] [--delay-ms 5-50] [--before DIST] [--node-flags '--perf-basic-prof'] [--ll BYTES[,WAYS]]`
// Instructions, simulated cache misses and branch mispredictions per request of the proxy's main
// thread, counted by valgrind's callgrind: repeatable where CPU time on this VM moves ×2 in a minute,
// and it counts what the VM has no hardware counters for (docs/benchmarks.md, "eighth look"). Each
// fraction's proxy runs under valgrind (about 50× slower: ~30 requests/s), all at once; after `--warm`
// requests (let V8 optimize: with too few the copy path still runs in baseline code) the counters
// are zeroed, `--requests` more are sent (4 at a time, keep-alive, a key each), and the main thread's
// counts are divided by them. Caches are simulated as 32 KiB L1i/L1d and an 8 MiB last level, or
// `--ll 524288,8` for a last level the size of one core's L2 here (AMD EPYC: 512 KiB, 8-way), the
// level a working set that outgrows it pays for on every request.
// `--before DIST`: each fraction also on another build (a copy of an earlier dist/), as in cost-by-fraction.
// Flagged per process: V8's slow path for Node's nextTick object literal (Runtime_DefineKeyedOwnPropertyInLiteral),
// which some processes under valgrind fall into for their whole life (about 28,000 instructions a
// request, at any fraction; never seen natively): a ratio is only a comparison when neither side did.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { postMany } from './lib/client';
import { arg, delayArg, nodeFlagsArg, replayRules, targetSpec } from './lib/options';
import { ROOT, doubletapArgs, startProcess, startTs, type Child } from './lib/proc';

const fractions = arg('fractions', '0,0.1').split(',');
const warm = Number(arg('warm', '12000'));
const requests = Number(arg('requests', '3000'));
const delay = delayArg('5-50');
const before = process.argv.includes('--before') ? arg('before') : undefined;
// --node-flags '--flag …': e.g. --perf-basic-prof to name JIT code in the dumps.
const nodeFlags = nodeFlagsArg();
const llGiven = process.argv.includes('--ll');
const [llBytes, llWays] = arg('ll', '8388608,16').split(',').map(Number);
if (!(llBytes > 0) || (llWays !== undefined && !(llWays > 0))) throw new Error('--ll: BYTES[,WAYS], e.g. 524288,8');
const dir = join(ROOT, 'bench/results/callgrind');
const EVENTS = ['Ir', 'I1mr', 'D1mr', 'D1mw', 'ILmr', 'DLmr', 'DLmw', 'Bcm', 'Bim'] as const;
/**
 * With `--ll` at L2 size: a rough cycle count, so that a ratio weighs a miss by what it costs rather
 * than as one instruction. Latencies typical of AMD's Zen cores (this VM's EPYC): an L1 miss served
 * by L2 ≈ 12 cycles, an L2 miss served by L3 ≈ 40 (it is counted as an L1 miss too: 12 + 28), a
 * mispredicted branch ≈ 16; one cycle per instruction. An estimate for comparing two builds or
 * fractions, not a prediction of time.
 */
function cycleEstimate(r: Record<(typeof EVENTS)[number], number>): number {
  return r.Ir + 12 * (r.I1mr + r.D1mr + r.D1mw) + 28 * (r.ILmr + r.DLmr + r.DLmw) + 16 * (r.Bcm + r.Bim);
}
const SLOW_LITERAL = 'Runtime_DefineKeyedOwnPropertyInLiteral';
/** Self instructions a request in that path that mean a process fell in (~3,500 when it did; a few
 * hundred are V8 settling its feedback early on, after a short warm-up). */
const SLOW_LITERAL_MIN = 1000;

type Counts = Record<(typeof EVENTS)[number], number> & { slowLiteralIr: number; otherThreadsIr: number };

function hasTool(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A dump's totals by event name. */
function totals(file: string): Record<string, number> {
  const text = readFileSync(file, 'utf8');
  const names = /^events: (.*)$/m.exec(text)![1].split(' ');
  const values = (/^(?:totals|summary): (.*)$/m.exec(text)![1]).split(' ').map(Number);
  return Object.fromEntries(names.map((n, i) => [n, values[i]]));
}

/**
 * The main thread's counts in the dump taken after the measured requests (`PREFIX.1-01`), and the
 * other threads' instructions (`PREFIX.1-NN`: V8's workers, nearly all of it TurboFan compiling).
 * Those are reported apart: under valgrind they run far more than natively (where all of them cost
 * 2–3 µs a request at fraction 0 and 10 % alike, /proc per-thread times), so they are no measure.
 */
function readDump(file: string): Counts {
  const main = totals(file);
  const at = (e: string) => main[e] / requests;
  const prefix = file.replace(/-01$/, '-');
  const others = readdirSync(dir).map((f) => join(dir, f)).filter((f) => f.startsWith(prefix) && f !== file);
  const otherThreadsIr = others.reduce((sum, f) => sum + (totals(f).Ir || 0), 0) / requests;
  // Self instructions of the slow literal path, from callgrind's own per-function listing.
  const listing = execFileSync('callgrind_annotate', ['--inclusive=no', '--threshold=100', '--show=Ir', file], { maxBuffer: 1 << 26 }).toString();
  const line = listing.split('\n').find((l) => l.includes(SLOW_LITERAL) && !l.includes('Handler'));
  const slow = line ? Number(line.trim().split(/\s+/)[0].replace(/,/g, '')) : 0;
  return { ...(Object.fromEntries(EVENTS.map((e) => [e, at(e)])) as Record<(typeof EVENTS)[number], number>), slowLiteralIr: slow / requests, otherThreadsIr };
}

async function measure(target: { spec: string; dist?: string }, upstream: Child): Promise<Counts> {
  const { spec, dist } = target;
  const t = targetSpec(spec);
  const prefix = join(dir, `f${spec.replace(/[^\w.]/g, '_')}${dist ? '-before' : ''}`);
  const proxy = await startProcess(
    'valgrind',
    ['--tool=callgrind', '--separate-threads=yes', '--cache-sim=yes', '--branch-sim=yes', `--LL=${llBytes},${llWays || 16},64`, '--smc-check=all-non-file',
      `--callgrind-out-file=${prefix}.%p`, process.execPath, ...nodeFlags, ...t.nodeFlags,
      ...doubletapArgs(upstream.url, replayRules(t.fraction, delay), [...t.proxyArgs, ...(dist ? ['--dist', dist] : [])])],
    false, /listening on (\S+)/, 600_000,
  );
  try {
    await postMany(proxy.url + '/orders', warm, 4, `warm-${spec}`);
    execFileSync('callgrind_control', ['-z', String(proxy.pid)], { stdio: 'ignore' });
    await postMany(proxy.url + '/orders', requests, 4, `measured-${spec}`);
    execFileSync('callgrind_control', ['-d', String(proxy.pid)], { stdio: 'ignore' });
  } finally {
    await proxy.stop();
  }
  return readDump(`${prefix}.${proxy.pid}.1-01`);
}

async function main(): Promise<void> {
  for (const tool of ['valgrind', 'callgrind_annotate']) if (!hasTool(tool)) throw new Error(`${tool} is missing (Debian package valgrind)`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const upstream = await startTs('bench/servers/upstream.ts');
  try {
    const targets = fractions.flatMap((spec) => [{ spec, name: spec }, ...(before ? [{ spec, dist: before, name: `${spec} before` }] : [])]);
    const rows = await Promise.all(targets.map((t) => measure(t, upstream)));
    console.log(`\nper request, proxy main thread; ${warm} warm-up requests, ${requests} measured; ratios against ${targets[0].name}`);
    console.log('fraction'.padEnd(18) + EVENTS.map((e) => e.padStart(10)).join('') + '  other threads Ir  slow nextTick literal');
    rows.forEach((r, i) => {
      const cells = EVENTS.map((e) => `${Math.round(r[e])}`.padStart(10)).join('');
      const ratio = `×${(r.Ir / rows[0].Ir).toFixed(3)} Ir` + (llGiven ? `, ×${(cycleEstimate(r) / cycleEstimate(rows[0])).toFixed(3)} est. cycles (${Math.round(cycleEstimate(r))})` : '');
      console.log(`${targets[i].name.padEnd(18)}${cells}  ${`${Math.round(r.otherThreadsIr)}`.padStart(16)}  ${r.slowLiteralIr > SLOW_LITERAL_MIN ? `YES (${Math.round(r.slowLiteralIr)} self)` : 'no'}  ${ratio}`);
    });
    console.log(`(dumps in ${dir}; files: ${readdirSync(dir).length})`);
  } finally {
    await upstream.stop();
  }
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
