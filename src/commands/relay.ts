// `doubletap relay`: run the Kafka relay(s) of a scenario, or one relay built from flags.
import type { Command } from 'commander';
import { once } from 'node:events';
import { Budget } from '../chaos/budget';
import { HaltSwitch } from '../chaos/halt';
import { startControlServer } from '../control/server';
import { resolveSecret } from '../secrets';
import { AbortedError, messageOf } from '../errors';
import { Journal } from '../journal/writer';
import { createLogger } from '../log';
import { createMetrics } from '../metrics';
import { exitIfJournalFailed, journalReporting } from '../run/context';
import { startRelay, type RunningRelay } from '../kafka/relay';
import { relayHealth, relayStatus } from '../kafka/relay-status';
import { parseScenario, readScenarioFile } from '../scenario/load';
import { refuseUngatedProduction } from '../gate/open';
import { startStanding } from '../control/standing';
import { ConfigError } from '../errors';
import { onInterrupt } from './interrupt';
import type { Scenario } from '../scenario/schema';

export interface RelayFlags {
  scenario?: string;
  brokers?: string;
  from?: string;
  to?: string;
  fraction?: string;
  copies?: string;
  seed?: string;
  group?: string;
  fromBeginning?: boolean;
  deadLetter?: string;
  control?: string;
  journal?: string;
  dryRun?: boolean;
  standing?: boolean;
  replica?: string;
}

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any


/** Flags override the scenario; the result goes through the same schema, so errors carry paths. */
export function relayScenario(flags: RelayFlags): Scenario {
  const raw: Raw = flags.scenario ? (readScenarioFile(flags.scenario) as Raw) : { version: 1, name: 'relay' };
  const kafka: Raw = (raw.kafka ??= {});
  if (flags.brokers !== undefined) kafka.brokers = flags.brokers.split(',').map((b) => b.trim()).filter(Boolean);
  kafka.relays ??= [];
  if (flags.from !== undefined || flags.to !== undefined || kafka.relays.length === 0) {
    if (kafka.relays.length === 0) kafka.relays.push({ name: 'relay', fraction: 0.1 });
    const first: Raw = kafka.relays[0];
    if (flags.from !== undefined) first.from = flags.from.includes(',') ? flags.from.split(',') : flags.from;
    if (flags.to !== undefined) first.to = flags.to;
  }
  for (const r of kafka.relays as Raw[]) {
    if (flags.fraction !== undefined) r.fraction = Number(flags.fraction);
    if (flags.copies !== undefined) r.copies = Number(flags.copies);
    if (flags.group !== undefined) r.group = flags.group;
    if (flags.fromBeginning) r.fromBeginning = true;
    if (flags.deadLetter !== undefined) r.deadLetter = flags.deadLetter;
  }
  if (flags.seed !== undefined) raw.seed = Number(flags.seed);
  if (flags.dryRun) raw.dryRun = true;
  if (flags.control !== undefined) raw.control = { ...(raw.control ?? {}), listen: flags.control };
  return parseScenario(raw);
}

export async function runRelayCommand(flags: RelayFlags, logLevel?: string): Promise<void> {
  const scenario = relayScenario(flags);
  // Standing: the relay copies nothing until armed; production arming is gated by the arming run.
  if (!flags.standing) refuseUngatedProduction(scenario, 'relay');
  if (flags.standing && !flags.control) throw new ConfigError(['--standing: needs --control HOST:PORT (runs arm the relay through it)']);
  const kafka = scenario.kafka!;
  const logger = createLogger(logLevel);
  const metrics = createMetrics({ defaultMetrics: true });
  const halt = new HaltSwitch();
  const budget = new Budget(scenario.budget);
  // Sync lines: the journal must still account for every produced copy if this process is SIGKILLed.
  // Resolved before anything connects: a missing env: variable must not leave the relays running.
  const token = flags.control && scenario.control.token !== undefined ? resolveSecret(scenario.control.token, 'control.token') : undefined;
  const journal = new Journal(flags.journal, { sync: true, ...journalReporting('--journal', logger, metrics) });
  const standing = flags.standing ? startStanding(halt, journal, metrics, logger, flags.replica) : undefined;
  const relays: RunningRelay[] = [];
  let clean = true;
  const stop = async () => {
    for (const r of relays) clean = (await r.close().catch((err) => logger.warn('relay close failed', { error: messageOf(err) }))) === true && clean;
  };
  try {
    for (const relay of kafka.relays) {
      relays.push(await startRelay({ kafka, relay, seed: scenario.seed, dryRun: scenario.dryRun, budget: standing?.arming.budget ?? budget, halt, metrics, journal, logger, journalFile: flags.journal, arming: standing?.arming }));
      process.stdout.write(`relaying ${relay.from.join(',')} → ${relay.to}\n`);
    }
  } catch (err) {
    await stop();
    await journal.close();
    throw err;
  }
  const named = () => kafka.relays.map((r, i) => ({ name: r.name, relay: relays[i] }));
  const control = flags.control
    ? await startControlServer({
        listen: scenario.control.listen,
        token,
        routes: standing?.routes({ pending: () => relays.reduce((n, r) => n + r.pending(), 0), relayNames: kafka.relays.map((r) => r.name) }),
        halt, registry: metrics.registry, logger,
        // Standing, a halt only disarms (relaying goes on): the phase says how the relays are; `armed` what is armed.
        status: () => ({ ...relayStatus(named(), !standing && halt.halted), ...(standing && { armed: standing.arming.state ?? null }) }),
        health: () => relayHealth(named()),
      }).catch(async (err: unknown) => {
        // A control API that cannot start (port taken, exposed without a token) must not leave the
        // relays consuming with nobody to stop them.
        await stop();
        await journal.close();
        throw err;
      })
    : undefined;
  if (control) process.stdout.write(`control on ${control.url}\n`);
  // SIGTERM/SIGINT: halt (cancel scheduled copies), commit the acked offsets, disconnect. A relay that
  // fails for good (refused message, dead consumer, foreign group member, long stall) ends it too.
  const interrupt = onInterrupt();
  const failure = await Promise.race([once(interrupt.signal, 'abort').then(() => undefined), ...relays.map((r, i) => r.failed.then((reason) => `relay ${kafka.relays[i].name}: ${reason}`))]);
  logger.info('stopping relay', failure ? { failure } : {});
  halt.halt(failure ? 'relay failed' : 'signal');
  await stop();
  interrupt.dispose();
  await control?.close();
  await journal.close();
  for (const [i, r] of kafka.relays.entries()) process.stdout.write(`relay ${r.name}: ${JSON.stringify(relays[i].stats())}\n`);
  exitIfJournalFailed(journal, flags.journal);
  // kafkajs may still hold a socket to a broker that never answered: leave anyway once done.
  setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();
  if (failure) throw new AbortedError(failure);
  if (!clean) throw new AbortedError('the relay did not stop cleanly within its bound; uncommitted offsets will be relayed again');
}

export function registerRelay(program: Command): void {
  program
    .command('relay')
    .description('relay Kafka messages from one topic to another, re-delivering a seeded fraction')
    .option('--scenario <file>', 'scenario YAML (its kafka section); flags override it')
    .option('--brokers <list>', 'HOST:PORT[,HOST:PORT…]')
    .option('--from <topic>', 'source topic (comma-separated for several)')
    .option('--to <topic>', 'destination topic')
    .option('--fraction <f>', 'fraction of messages to re-deliver (0..1)')
    .option('--copies <n>', 'copies per picked message (default 1)')
    .option('--seed <n>', 'seed for the decisions')
    .option('--group <id>', 'consumer group id (default doubletap-relay.FROM.to.TO)')
    .option('--from-beginning', 'a new group starts at the start of the retained source log (default: its end)')
    .option('--dead-letter <topic>', 'send messages the destination refuses for good here (default: stop, exit 3)')
    .option('--control <host:port>', 'serve the control API (status, halt, metrics) here')
    .option('--journal <file>', 'append journal lines (JSON) to this file')
    .option('--dry-run', 'journal every decision, produce no copy')
    .option('--standing', 'relay everything exactly once until a run arms the relay through the control API (needs --control)')
    .option('--replica <name>', 'this replica\'s name in a merged journal (default: replica-<pid>)')
    .action(async (flags: RelayFlags, cmd: Command) => {
      await runRelayCommand(flags, cmd.optsWithGlobals().logLevel as string | undefined);
    });
}
