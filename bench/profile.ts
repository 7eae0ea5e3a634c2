// `npx tsx bench/profile.ts [--seconds N] [--fraction F] [--delay-ms MIN-MAX]` (after `npm run build`: the proxy under test is the compiled dist/): CPU profile of the bare http-proxy and of
// doubletap under the same wrk load, and a self-time breakdown by origin (ours / http-proxy / Node).
// Writes the .cpuprofile files to bench/results/profiles/ (open them in Chrome DevTools).
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runLoad } from './lib/load';
import { arg, delayArg, replayRules } from './lib/options';
import { ROOT, startTs } from './lib/proc';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }

const seconds = Number(arg('seconds', '10'));
const fraction = Number(arg('fraction', '0'));
// Copies after a jittered delay (uniform MIN–MAX ms), as the 10 % goal's case has them.
const delay = delayArg();
const dir = join(ROOT, 'bench/results/profiles');

function origin(url: string): string {
  if (url.includes('/src/')) return 'doubletap src/' + url.split('/src/')[1];
  if (url.includes('node_modules/http-proxy/')) return 'http-proxy';
  if (url.includes('node_modules/')) return 'node_modules/' + url.split('node_modules/')[1].split('/')[0];
  if (url.startsWith('node:')) return 'node ' + url.slice(5);
  return url ? url : '(native/gc/idle)';
}

function breakdown(file: string): void {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const n = byId.get(id)!;
    const dt = p.timeDeltas[i] ?? 0;
    if (n.callFrame.functionName === '(idle)') return;
    total += dt;
    const o = origin(n.callFrame.url);
    self.set(o, (self.get(o) ?? 0) + dt);
    const f = `${n.callFrame.functionName || '(anon)'} ${o}:${n.callFrame.lineNumber + 1}`;
    fns.set(f, (fns.get(f) ?? 0) + dt);
  });
  const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, us]) => `    ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`);
  const ours = [...self].filter(([o]) => o.startsWith('doubletap') || o === 'node_modules/prom-client' || o === 'node_modules/winston');
  const oursUs = ours.reduce((a, [, us]) => a + us, 0);
  console.log(`${file}: ${(total / 1e6).toFixed(2)} s busy; doubletap src + prom-client self time ${((100 * oursUs) / total).toFixed(1)}%`);
  console.log('  ours:', '\n' + top(new Map(ours), 12).join('\n'));
  console.log('  by origin:', '\n' + top(self, 14).join('\n'));
  console.log('  top functions:', '\n' + top(fns, 25).join('\n'));
}

async function profile(name: string, file: string, args: string[], upstream: string): Promise<void> {
  const out = join(dir, name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const proxy = await startTs(file, ['--upstream', upstream, ...args], ['--cpu-prof', '--cpu-prof-dir', out]);
  await runLoad({ url: proxy.url + '/orders', connections: 32, seconds: 2, nonce: 'warm' });
  const load = await runLoad({ url: proxy.url + '/orders', connections: 32, seconds, nonce: name });
  console.log(`${name}: ${load.requests} requests, ${load.rps.toFixed(0)} req/s`);
  await proxy.stop();
  // tsx's loader thread writes its own (small) profile: the main thread's is the big one.
  const files = readdirSync(out).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(out, f));
  breakdown(files.sort((a, b) => statSync(b).size - statSync(a).size)[0]);
}

async function main(): Promise<void> {
  const upstream = await startTs('bench/servers/upstream.ts');
  try {
    await profile('http-proxy', 'bench/servers/bare-proxy.ts', [], upstream.url);
    await profile(`doubletap-${fraction}`, 'bench/servers/doubletap-proxy.ts', ['--rules', replayRules(fraction, delay)], upstream.url);
  } finally {
    await upstream.stop();
  }
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
