// doubletap's HTTP proxy under test, in its own process. Rules come as JSON (scenario syntax), so
// each case (fraction 0, 10 %, 100 %, delayed copies, pending copies) is the same binary.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { arg, serveStats } from './ipc';
import { calibration } from './calibration-probes';
import { applyProbes } from './probes';

// The compiled code users run (dist/, which `npm run bench` and `npm test` build first), not the
// TypeScript sources through tsx: tsx wraps every closure in a naming helper, a per-request cost
// (about 1 % of the proxy's CPU in a profile) that users never pay.
// `--dist DIR`: another build (e.g. the previous commit's, copied aside) measured beside this one.
const distDir = process.argv.includes('--dist') ? resolve(arg('dist')) : join(__dirname, '../../dist');
const dist = <T>(module: string): T => {
  const file = join(distDir, 'src', module + '.js');
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  return require(file) as T;
};
const { Budget } = dist<typeof import('../../src/chaos/budget')>('chaos/budget');
const { HaltSwitch } = dist<typeof import('../../src/chaos/halt')>('chaos/halt');
const { Journal } = dist<typeof import('../../src/journal/writer')>('journal/writer');
const { silentLogger } = dist<typeof import('../../src/log')>('log');
const { createMetrics } = dist<typeof import('../../src/metrics')>('metrics');
const { startProxy } = dist<typeof import('../../src/http/proxy')>('http/proxy');
const { parseScenario } = dist<typeof import('../../src/scenario/load')>('scenario/load');

async function main(): Promise<void> {
  const scenario = parseScenario({
    version: 1,
    name: 'bench',
    seed: 42,
    http: { listen: '127.0.0.1:0', upstream: arg('upstream'), rules: JSON.parse(arg('rules')) },
  });
  // A real journal file, as a run writes one (every matched original is a line), on tmpfs when there
  // is one: the cost of building and writing lines counts, a disk's latency does not.
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'doubletap-bench-'));
  const journal = new Journal(join(dir, 'journal.jsonl'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const halt = new HaltSwitch();
  // `cost-by-fraction --fractions F:PROBE` only: cut or add one part of the copy path (bench/servers/probes.ts).
  if (process.argv.includes('--probe')) applyProbes(arg('probe'), arg('upstream'), dist, halt);
  const proxy = await startProxy({
    http: scenario.http!,
    seed: scenario.seed,
    dryRun: false,
    budget: new Budget(JSON.parse(arg('budget', '{}'))),
    halt,
    metrics: createMetrics(),
    journal,
    logger: silentLogger(),
  });
  serveStats(() => ({ pending: proxy.pending(), totals: journal.tally.totals(), calibrationCalls: calibration.calls }));
  console.log(`listening on ${proxy.url}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
