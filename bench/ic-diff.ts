// `npx tsx bench/ic-diff.ts [--fractions 0,0.1] [--delay-ms 5-50] [--seconds 6] [--maps] [--all]`
// (after `npm run build`): which of V8's inline caches the copy path makes worse for everyone. Runs
// doubletap under the same wrk load at two fractions with `node --log-ic` and lists the sites that are
// polymorphic or megamorphic at the second fraction but not at the first, grouped by origin (our
// code, Node's, the dependencies'). A site the originals run (Node's stream and socket code, our
// forward path) that turns polymorphic there costs every request, copied or not. `--maps` also logs
// hidden-class transitions and prints, for each of our worsened sites, the property order of each
// object shape it met (two orders of the same properties are two shapes). `--all` lists every site
// (default: our code and Node's; dependencies' sites run only for copies). Logs go to
// bench/results/ic/. This is how the request-order fix in src/http/handlers.ts was found.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { propertyOrder, readIcLog, worsened, type IcLevel } from './lib/ic-log';
import { runLoad } from './lib/load';
import { arg, delayArg, replayRules } from './lib/options';
import { ROOT, startDoubletap, startTs, stopChild } from './lib/proc';

const fractions = arg('fractions', '0,0.1').split(',').map(Number);
const seconds = Number(arg('seconds', '6'));
const delay = delayArg('5-50');
const maps = process.argv.includes('--maps');
const all = process.argv.includes('--all');
const dir = join(ROOT, 'bench/results/ic');
const LEVEL_NAME = ['uninitialised', 'monomorphic', 'polymorphic', 'megamorphic'];

function originOf(fn: string | undefined): 'ours' | 'node' | 'dependencies' | 'other' {
  if (fn === undefined) return 'other';
  if (fn.includes('/dist/src/')) return 'ours';
  if (fn.includes(' node:')) return 'node';
  return fn.includes('/node_modules/') && !fn.includes('/node_modules/tsx/') ? 'dependencies' : 'other';
}

async function logAt(upstreamUrl: string, fraction: number): Promise<string> {
  const file = join(dir, `ic-${fraction}.log`);
  const flags = ['--log-ic', ...(maps ? ['--log-maps'] : []), `--logfile=${file}`, '--no-logfile-per-isolate'];
  const proxy = await startDoubletap(upstreamUrl, replayRules(fraction, delay), [], flags);
  try {
    const r = await runLoad({ url: proxy.url + '/orders', connections: 32, seconds, nonce: `ic-${fraction}` });
    console.log(`fraction ${fraction}: ${r.requests} requests (${r.rps.toFixed(0)}/s under --log-ic), log ${file}`);
  } finally {
    await stopChild(proxy.proc);
  }
  return file;
}

async function main(): Promise<void> {
  if (fractions.length !== 2) throw new Error('--fractions takes two fractions: the baseline and the one to compare');
  mkdirSync(dir, { recursive: true });
  const upstream = await startTs('bench/servers/upstream.ts');
  let files: string[];
  try {
    files = [await logAt(upstream.url, fractions[0]), await logAt(upstream.url, fractions[1])];
  } finally {
    await stopChild(upstream.proc);
  }
  const [before, after] = files.map(readIcLog);
  const worse = worsened(before, after).filter(({ site }) => all || ['ours', 'node'].includes(originOf(site.fn)));
  for (const origin of ['ours', 'node', 'dependencies', 'other'] as const) {
    const rows = worse.filter(({ site }) => originOf(site.fn) === origin);
    if (rows.length === 0) continue;
    console.log(`\n${origin}: ${rows.length} site(s) worse at fraction ${fractions[1]} than at ${fractions[0]}`);
    for (const { site, was } of rows) {
      console.log(`  ${LEVEL_NAME[was as IcLevel]} → ${LEVEL_NAME[site.level]}  ${site.site}  in ${site.fn ?? '?'} (${site.maps.size} shapes)`);
      if (maps && origin === 'ours') for (const m of site.maps) console.log(`      ${m}: …${propertyOrder(after, m).slice(-8).join(', ')}`);
    }
  }
  if (worse.length === 0) console.log(`\nno site is worse at fraction ${fractions[1]} than at ${fractions[0]}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
