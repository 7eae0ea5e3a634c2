// `npx tsx bench/cost-by-fraction.ts [--fractions 0,0.1,1 | 0,0.01,0.01:halt | 0,0.1,0.1@--no-polymorphic-inlining] [--delay-ms 5-50] [--rounds 5] [--seconds 3] [--warmup 2] [--paired] [--before DIST[,DIST]] [--pin] [--node-flags '--flag …'] [--rate N]`
// (after `npm run build`): what a copy costs, measured from outside the proxy. For each fraction, one
// doubletap proxy; per round and per proxy: requests/s, CPU µs per request (user / system, from
// /proc), and read/write syscalls per request (/proc/PID/io: each copy should add one of each).
// Serial (default) loads one proxy at a time, interleaved; --paired loads them all at once, each with
// its own wrk, so they meet the same VM speed at every instant (the drift cancels in the ratios; the
// absolute numbers are those of a contended machine). Ratios are against the first fraction.
// --before DIST[,DIST…]: each fraction also runs on those builds (another commit's dist/, copied aside), in the
// same rounds, so a change is measured against its baseline under the same drift.
// A fraction may carry probes, `FRACTION:PROBE[+PROBE…]` (bench/servers/probes.ts): that proxy has one
// part of the copy path cut or one thing added, e.g. `--pin --paired --fractions 0,0.01,0.01:halt`
// (`halt` is thrown after the warm-up). How the step was taken apart (docs/benchmarks.md, sixth look).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { connectionsEach, runLoad } from './lib/load';
import { arg, delayArg, nodeFlagsArg, replayRules, targetSpec } from './lib/options';
import { pinning, startDoubletap, startTs, type Child } from './lib/proc';

const fractions = arg('fractions', '0,0.1,1').split(',');
const rounds = Number(arg('rounds', '5'));
const seconds = Number(arg('seconds', '3'));
const warmup = Number(arg('warmup', '2'));
const paired = process.argv.includes('--paired');
const pin = process.argv.includes('--pin');
const befores = process.argv.includes('--before') ? arg('before', '').split(',') : [];
const delay = delayArg();
// --node-flags '--flag …': e.g. to see what inlining does.
const nodeFlags = nodeFlagsArg();
// --rate N: each proxy measured at N requests/s (autocannon), not at saturation (wrk): whether a
// ratio is a cost per request or a cost of the saturated loop.
const rate = process.argv.includes('--rate') ? Number(arg('rate', '0')) : undefined;
if (rate !== undefined && !(rate > 0)) throw new Error('--rate: requests per second, a number above 0');
const CLK_TCK = 100;

interface Sample { user: number; sys: number; reads: number; writes: number }

/** The main process only (a proxy has no children): CPU ticks and syscall counts. */
function sample(pid: number): Sample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const io = Object.fromEntries(readFileSync(`/proc/${pid}/io`, 'utf8').trim().split('\n').map((l) => l.split(': ')));
  return { user: Number(f[11]) / CLK_TCK, sys: Number(f[12]) / CLK_TCK, reads: Number(io.syscr), writes: Number(io.syscw) };
}

interface Row { rps: number; cpuUs: number; userUs: number; sysUs: number; reads: number; writes: number }

async function measure(p: Child, nonce: string, connections: number): Promise<Row> {
  const a = sample(p.pid);
  const r = await runLoad({ url: p.url + '/orders', connections, seconds, nonce, rate });
  const b = sample(p.pid);
  const per = (x: number) => x / r.requests;
  return {
    rps: r.rps, cpuUs: per(b.user + b.sys - a.user - a.sys) * 1e6, userUs: per(b.user - a.user) * 1e6, sysUs: per(b.sys - a.sys) * 1e6,
    reads: per(b.reads - a.reads), writes: per(b.writes - a.writes),
  };
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[(xs.length - 1) >> 1];

async function main(): Promise<void> {
  // --pin: the load generator and the upstream (children of this process) on the first CPUs, each
  // proxy on the last one (bench/lib/proc.ts `pinning`), as `npm run bench` does.
  const pinned = pin ? pinning() : undefined;
  if (pin && !pinned) throw new Error('--pin: needs two CPUs and taskset');
  const upstream = await startTs('bench/servers/upstream.ts');
  // Each target: a fraction on this build, then (with --before) the same fraction on the other one.
  // `FRACTION[:PROBE][@FLAG,FLAG…]` (options.ts targetSpec): the flags are for that target only, beside --node-flags.
  const targets = fractions.flatMap((spec) => {
    const { fraction: f, proxyArgs: args, halts, nodeFlags: own } = targetSpec(spec);
    const flags = [...nodeFlags, ...own];
    return [{ f, name: `f=${spec}`, args, halts, flags }, ...befores.map((dir) => ({ f, name: `f=${spec} ${befores.length > 1 ? basename(dir) : 'before'}`, args: [...args, '--dist', dir], halts, flags }))];
  });
  const proxies = await Promise.all(targets.map((t) => startDoubletap(upstream.url, replayRules(t.f, delay), t.args, t.flags)));
  for (const p of proxies) pinned?.pinProxy(p.pid);
  const connections = connectionsEach(proxies.length, paired);
  try {
    await Promise.all(proxies.map((p) => runLoad({ url: p.url + '/orders', connections, seconds: warmup, nonce: `warm-${p.pid}` })));
    targets.forEach((t, i) => t.halts && proxies[i].proc.send({ cmd: 'halt' }));
    const rows: Row[][] = targets.map(() => []);
    for (let round = 0; round < rounds; round++) {
      const got = paired
        ? await Promise.all(proxies.map((p, i) => measure(p, `r${round}-${i}`, connections)))
        : await proxies.reduce<Promise<Row[]>>(async (acc, p, i) => [...(await acc), await measure(p, `r${round}-${i}`, connections)], Promise.resolve([]));
      got.forEach((row, i) => rows[i].push(row));
      console.log(`round ${round + 1}: ` + got.map((row, i) => `${targets[i].name} ${row.rps.toFixed(0)} req/s ${row.cpuUs.toFixed(0)} µs (×${(row.cpuUs / got[0].cpuUs).toFixed(2)})`).join(' | '));
    }
    console.log(`\n${paired ? 'paired' : 'serial'}, ${rounds} rounds of ${seconds} s, c${connections}${delay ? `, delay ${delay.min}–${delay.max}` : ''}; medians of the per-round ratios against ${targets[0].name}`);
    const width = Math.max(14, ...targets.map((t) => t.name.length));
    console.log('target'.padEnd(width + 2) + 'req/s  ×req/s  CPU µs/req (user+sys)  ×CPU  reads/req  writes/req');
    targets.forEach((t, i) => {
      const rs = rows[i];
      const rpsRatio = median(rs.map((r, k) => r.rps / rows[0][k].rps));
      const cpuRatio = median(rs.map((r, k) => r.cpuUs / rows[0][k].cpuUs));
      console.log(`${t.name.padEnd(width)}  ${median(rs.map((r) => r.rps)).toFixed(0).padStart(5)}  ×${rpsRatio.toFixed(2)}   ${median(rs.map((r) => r.cpuUs)).toFixed(0).padStart(4)} (${median(rs.map((r) => r.userUs)).toFixed(0)}+${median(rs.map((r) => r.sysUs)).toFixed(0)})`.padEnd(width + 32) + `×${cpuRatio.toFixed(2)}  ${median(rs.map((r) => r.reads)).toFixed(2).padStart(9)}  ${median(rs.map((r) => r.writes)).toFixed(2).padStart(10)}`);
    });
  } finally {
    for (const p of proxies) await p.stop();
    await upstream.stop();
  }
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
