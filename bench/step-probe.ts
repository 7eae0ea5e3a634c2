// `npx tsx bench/step-probe.ts --targets 0,0.01,0.01:halt [--rounds 12] [--seconds 2] [--warmup 5] [--delay-ms 5-50]`
// (after `npm run build`): takes apart the slowdown that copies bring to every original. Each target
// is `FRACTION[:PROBE+PROBE…]` (probes: bench/servers/probes.ts), one proxy each, all pinned to the
// same CPU and loaded at once by their own wrk (paired: every target meets the same VM speed at every
// instant, so the per-round ratios keep little of the drift that serial rounds show). Prints CPU per
// request per round and the median of the per-round ratios against the first target.
import { runLoad } from './lib/load';
import { arg, delayArg, replayRules } from './lib/options';
import { cpuSeconds, pinning, startTs, type Child } from './lib/proc';

const targets = arg('targets', '0,0.01,0.01:halt').split(',');
const rounds = Number(arg('rounds', '12'));
const seconds = Number(arg('seconds', '2'));
const warmup = Number(arg('warmup', '5'));
const delay = delayArg('5-50');
// 33 connections shared out: the targets together put the same pressure on the one CPU.
const connections = Math.max(4, Math.floor(33 / targets.length));

async function cpuPerRequestUs(p: Child, nonce: string): Promise<number> {
  const before = cpuSeconds(p.pid);
  const r = await runLoad({ url: p.url + '/orders', connections, seconds, nonce });
  return ((cpuSeconds(p.pid) - before) / r.requests) * 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];

async function main(): Promise<void> {
  const pinned = pinning();
  if (!pinned) throw new Error('step-probe needs two CPUs and taskset');
  const upstream = await startTs('bench/servers/upstream.ts');
  const proxies = await Promise.all(targets.map((t) => {
    const [fraction, probe = ''] = t.split(':');
    return startTs('bench/servers/doubletap-proxy.ts', ['--upstream', upstream.url, '--rules', replayRules(Number(fraction), delay), ...(probe ? ['--probe', probe] : [])]);
  }));
  try {
    for (const p of proxies) pinned.pinProxy(p.pid);
    await Promise.all(proxies.map((p) => runLoad({ url: p.url + '/orders', connections, seconds: warmup, nonce: `warm-${p.pid}` })));
    targets.forEach((t, i) => t.includes('halt') && proxies[i].proc.send({ cmd: 'halt' }));
    const rows: number[][] = targets.map(() => []);
    for (let round = 0; round < rounds; round++) {
      const got = await Promise.all(proxies.map((p, i) => cpuPerRequestUs(p, `r${round}-${i}`)));
      got.forEach((us, i) => rows[i].push(us));
      console.log(`round ${round + 1}: ` + got.map((us, i) => `${targets[i]} ${us.toFixed(0)} µs ×${(us / got[0]).toFixed(2)}`).join(' | '));
    }
    console.log(`\npaired, ${rounds} rounds of ${seconds} s, c${connections} each; CPU per request, median of the per-round ratios against ${targets[0]}:`);
    for (const [i, t] of targets.entries()) console.log(`  ${t.padEnd(28)} ×${median(rows[i].map((us, k) => us / rows[0][k])).toFixed(2)}`);
  } finally {
    for (const p of proxies) await p.stop();
    await upstream.stop();
    pinned.release();
  }
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
