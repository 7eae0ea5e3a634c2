// Everything a run does for safety beyond budget and halt, behind one object so the experiment state
// machine calls it in four places: the gate before anything starts, the stop conditions during the
// window, and the audit trail (halt, stop, end).
import type { ChaosContext } from '../run/context';
import type { ProbeKeys } from '../scenario/schema-probes';
import type { Scenario } from '../scenario/schema';
import { createStopSources, type UpstreamCounts } from '../stop';
import { countUpstream } from '../stop/upstream-5xx';
import { StopWatch } from '../stop/watch';
import { audit } from './audit';
import { openGate } from './open';

export interface RunGuard {
  /** The approval's name in production (never a token). */
  who?: string;
  /** Start evaluating the stop conditions; remote counts replace the local proxy's (attach mode). */
  startWatching(remoteCounts?: () => Promise<UpstreamCounts>): void;
  stopWatching(): Promise<void>;
  /** The chaos window is over: journaled with how it ended. */
  end(abortReason: string | undefined): void;
  /** When a stop condition tripped or halted the run (epoch ms). */
  readonly haltedAtMs: number | undefined;
}

export function openRunGuard(scenario: Scenario, ctx: ChaosContext, env: NodeJS.ProcessEnv): RunGuard {
  const production = scenario.gate.environment === 'production';
  const { who } = openGate(scenario, env, ctx.journal);
  const local: UpstreamCounts = { originals: 0, errors5xx: 0 };
  ctx.journal.watchers.push(countUpstream(local));
  let counts: () => Promise<UpstreamCounts> | UpstreamCounts = () => ({ ...local });
  // Built now, so a stop condition's bad probe (a missing env: variable) is refused before anything runs.
  const keysFor = (k: ProbeKeys) => {
    const sets = ctx.journal.tally.keysOf(k.rule);
    return sets === undefined || sets.truncated ? undefined : [...sets[k.of]];
  };
  const sources = createStopSources(scenario, { env, upstreamCounts: () => counts(), keysFor });
  let watch: StopWatch | undefined;
  // Halts from the control API or a signal; a stop condition journals its own `stop`/`halt` first.
  ctx.halt.on('halt', (reason: string) => {
    if (production && watch?.haltedAtMs === undefined) audit(ctx.journal, 'halt', { who, detail: reason });
  });
  return {
    who,
    startWatching(remoteCounts) {
      if (remoteCounts) counts = remoteCounts;
      watch = new StopWatch(sources, {
        intervalMs: scenario.gate.stop.interval, unreadableLimit: scenario.gate.stop.unreadable,
        halt: ctx.halt, journal: ctx.journal, logger: ctx.logger,
      });
      watch.start();
    },
    async stopWatching() {
      await (watch ?? new StopWatch(sources, { intervalMs: 0, unreadableLimit: 1, halt: ctx.halt, journal: ctx.journal, logger: ctx.logger })).stop();
    },
    end(abortReason) {
      if (production || scenario.gate.stop.conditions.length > 0) audit(ctx.journal, 'end', { who, detail: abortReason ?? 'window ended' });
    },
    get haltedAtMs() {
      return watch?.haltedAtMs;
    },
  };
}
