// doubletap's HTTP proxy under test, in its own process. Rules come as JSON (scenario syntax), so
// each case (fraction 0, 10 %, 100 %, delayed copies, pending copies) is the same binary.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Budget } from '../../src/chaos/budget';
import { HaltSwitch } from '../../src/chaos/halt';
import { Journal } from '../../src/journal/writer';
import { silentLogger } from '../../src/log';
import { createMetrics } from '../../src/metrics';
import { startProxy } from '../../src/http/proxy';
import { parseScenario } from '../../src/scenario/load';
import { arg, serveStats } from './ipc';

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
  const proxy = await startProxy({
    http: scenario.http!,
    seed: scenario.seed,
    dryRun: false,
    budget: new Budget(JSON.parse(arg('budget', '{}'))),
    halt: new HaltSwitch(),
    metrics: createMetrics(),
    journal,
    logger: silentLogger(),
  });
  serveStats(() => ({ pending: proxy.pending(), totals: journal.tally.totals() }));
  console.log(`listening on ${proxy.url}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
