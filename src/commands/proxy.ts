// `doubletap proxy`: the HTTP duplicate-injection proxy on its own, from a scenario's http section or
// from flags alone (flags override the scenario). Prints `listening on http://HOST:PORT` when ready.
import type { Command } from 'commander';
import { once } from 'node:events';
import { Budget } from '../chaos/budget';
import { HaltSwitch } from '../chaos/halt';
import { startControlServer } from '../control/server';
import { resolveSecret } from '../secrets';
import { ConfigError } from '../errors';
import { startProxy } from '../http/proxy';
import { Journal } from '../journal/writer';
import { createLogger } from '../log';
import { createMetrics } from '../metrics';
import { parseScenario, readScenarioFile } from '../scenario/load';
import { onInterrupt } from './interrupt';
import { exitIfJournalFailed, journalReporting } from '../run/context';
import type { Scenario } from '../scenario/schema';
import { startStanding } from '../control/standing';
import { refuseUngatedProduction } from '../gate/open';

export interface ProxyFlags {
  scenario?: string;
  upstream?: string;
  listen?: string;
  fraction?: string;
  fault?: string;
  copies?: string;
  seed?: string;
  control?: string;
  journal?: string;
  dryRun?: boolean;
  standing?: boolean;
  replica?: string;
  policy?: string;
}

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any


/** Number flags stay as given when not numeric, so the schema reports them with their path. */
function num(v: string): number | string {
  const n = Number(v);
  return v.trim() !== '' && Number.isFinite(n) ? n : v;
}

/** Flags override the scenario; the result goes through the same schema, so errors carry paths. */
export function proxyScenario(flags: ProxyFlags): Scenario {
  const raw: Raw = flags.scenario ? (readScenarioFile(flags.scenario) as Raw) : { version: 1, name: 'proxy' };
  const http: Raw = (raw.http ??= {});
  if (flags.upstream !== undefined) http.upstream = flags.upstream;
  if (flags.listen !== undefined) http.listen = flags.listen;
  // With no scenario one rule, `default`, covers every write (the schema's default match).
  if (!Array.isArray(http.rules) || http.rules.length === 0) http.rules = [{ name: 'default', fraction: 0.1 }];
  for (const r of http.rules as Raw[]) {
    if (flags.fraction !== undefined) r.fraction = num(flags.fraction);
    if (flags.fault !== undefined) {
      const fault: Raw = { kind: flags.fault };
      // key-reuse from a flag: add a field nobody sends, so the body differs and the key is reused.
      if (flags.fault === 'key-reuse') fault.change = { field: '_doubletap', set: true };
      if (flags.fault === 'replay' || flags.fault === 'burst') fault.copies = flags.copies !== undefined ? num(flags.copies) : 1;
      r.faults = [fault];
    } else if (flags.copies !== undefined) {
      for (const f of (r.faults ??= [{ kind: 'replay' }]) as Raw[]) if (f.kind === 'replay' || f.kind === 'burst') f.copies = num(flags.copies);
    }
  }
  if (flags.seed !== undefined) raw.seed = num(flags.seed);
  if (flags.dryRun) raw.dryRun = true;
  if (flags.control !== undefined) raw.control = { ...(raw.control ?? {}), listen: flags.control };
  const scenario = parseScenario(raw);
  if (!scenario.http) throw new ConfigError(['http: is required (give --upstream URL or a scenario with an http section)']);
  return scenario;
}

export async function runProxyCommand(flags: ProxyFlags, logLevel?: string): Promise<void> {
  const scenario = proxyScenario(flags);
  if (!flags.standing) refuseUngatedProduction(scenario, 'proxy');
  const logger = createLogger(logLevel);
  const metrics = createMetrics({ defaultMetrics: true });
  const halt = new HaltSwitch();
  const budget = new Budget(scenario.budget);
  // Resolved before anything listens: a missing env: variable must not leave the proxy running.
  const token = flags.control && scenario.control.token !== undefined ? resolveSecret(scenario.control.token, 'control.token') : undefined;
  const journal = new Journal(flags.journal, journalReporting('--journal', logger, metrics));
  if (flags.standing && !flags.control) throw new ConfigError(['--standing: needs --control HOST:PORT (runs arm the proxy through it)']);
  const standing = flags.standing ? startStanding(halt, journal, metrics, logger, flags.replica, flags.policy) : undefined;
  const proxy = await startProxy({
    http: scenario.http!, seed: scenario.seed, dryRun: scenario.dryRun, budget: standing?.arming.budget ?? budget, halt, metrics, journal, logger,
    armed: standing ? { rules: standing.arming.rules, arming: standing.arming } : { scope: scenario.gate.scope },
  });
  const control = flags.control
    ? await startControlServer({
        listen: scenario.control.listen,
        token,
        routes: standing?.routes({ pending: () => proxy.pending(), proxyUrl: proxy.url }),
        halt, registry: metrics.registry, logger,
        status: () => ({ phase: standing ? (standing.arming.state ? 'armed' : 'standing') : halt.halted ? 'halted' : 'proxying', proxy: proxy.url, pending: proxy.pending(), counts: journal.tally.totals() }),
      }).catch(async (err: unknown) => {
        await proxy.close(0);
        await journal.close();
        throw err;
      })
    : undefined;
  process.stdout.write(`listening on ${proxy.url}\n`);
  if (control) process.stdout.write(`control on ${control.url}\n`);
  // SIGTERM/SIGINT: halt (cancels scheduled copies), drain in-flight requests up to a deadline, exit.
  const interrupt = onInterrupt();
  await once(interrupt.signal, 'abort');
  logger.info('stopping proxy');
  halt.halt('signal'); // disarms a standing proxy too
  await proxy.close(Math.min(scenario.settle, 10_000));
  await control?.close();
  await journal.close();
  const totals = journal.tally.totals();
  interrupt.dispose();
  process.stdout.write(`proxy stopped: ${totals.originals} originals, ${totals.copies} copies ${JSON.stringify(totals.outcomes)}\n`);
  exitIfJournalFailed(journal, flags.journal);
}

export function registerProxy(program: Command): void {
  program
    .command('proxy')
    .description('run the HTTP duplicate-injection proxy in front of an upstream')
    .option('--scenario <file>', 'scenario YAML (its http section); flags override it')
    .option('--upstream <url>', 'upstream base URL (http:// or https://)')
    .option('--listen <host:port>', 'listen address (default 127.0.0.1:8081; port 0 picks one)')
    .option('--fraction <f>', 'fraction of matching writes to duplicate (0..1; default 0.1)')
    .option('--fault <kind>', 'replay|burst|lost-reply|key-reuse|strip-key (key-reuse adds a field _doubletap)')
    .option('--copies <n>', 'copies per picked request for replay/burst (default 1)')
    .option('--seed <n>', 'seed for the decisions')
    .option('--control <host:port>', 'serve the control API (status, halt, metrics) here')
    .option('--journal <file>', 'append journal lines (JSON) to this file')
    .option('--dry-run', 'journal every decision, send no copy')
    .option('--standing', 'pass everything through until a run arms the proxy through the control API (needs --control)')
    .option('--replica <name>', 'this replica\'s name in a merged journal (default: replica-<pid>)')
    .option('--policy <file>', 'standing: check every arm request against this gate policy (allow-list, faults, ceiling, budget, windows)')
    .action(async (flags: ProxyFlags, cmd: Command) => {
      await runProxyCommand(flags, cmd.optsWithGlobals().logLevel as string | undefined);
    });
}
