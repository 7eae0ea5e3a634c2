// The experiment state machine: baseline → chaos → settle → verify → done | aborted.
import { UnreachableError } from '../errors';
import { openRunGuard, type RunGuard } from '../gate/run-guard';
import type { Logger } from '../log';
import { createProbes, type Probe } from '../probes';
import { takeSnapshot } from '../reconcile/snapshot';
import { buildVerdict, verdictExitCode, writeVerdict } from '../reconcile/verdict';
import type { SettleResult, Verdict } from '../reconcile/types';
import { renderReport } from '../report/render';
import type { Scenario } from '../scenario/schema';
import { setRunPhase } from '../metrics';
import { startComponents, startLoad, type Components } from './components';
import { createChaosContext } from './context';
import { waitForHealthy } from './health';
import { createProgress } from './progress';
import { makeRunDir, runFile } from './run-dir';
import { settleAll, waitForStableProbes } from './settle';
import { Phase, TimelineSampler } from './timeline';

export interface RunOptions {
  reportDir?: string;
  logger: Logger;
  /** Draw the progress line (a TTY, or --pretty). */
  pretty: boolean;
  env?: NodeJS.ProcessEnv;
  /** Ctrl-C: the run ends cleanly as aborted. */
  signal?: AbortSignal;
  onReady?: (info: { proxyUrl?: string; controlUrl: string; runDir: string }) => void;
}

export interface RunResult {
  verdict: Verdict;
  runDir: string;
  reportFile: string;
  exitCode: number;
}

/** How long an aborted run waits for copies already on the wire (their answers are evidence). */
const ABORT_GRACE_MS = 2000;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

export async function runExperiment(scenario: Scenario, o: RunOptions): Promise<RunResult> {
  const env = o.env ?? process.env;
  const runDir = makeRunDir(o.reportDir, scenario.name);
  const startedMs = Date.now();
  const ctx = createChaosContext(scenario, runFile(runDir, 'journal'), o.logger);
  const stop = new AbortController();
  // Any halt ends the window; a later resume does not un-abort the run (the window was cut short).
  let abortReason: string | undefined;
  ctx.halt.on('halt', (reason: string) => {
    abortReason ??= reason;
    stop.abort();
  });
  const onSignal = () => ctx.halt.halt('interrupted');
  o.signal?.addEventListener('abort', onSignal, { once: true });

  let phase: Phase = 'baseline';
  setRunPhase(ctx.metrics, 'baseline');
  const probes: Probe[] = createProbes(scenario.probes, env);
  let components: Components | undefined;
  let sampler: TimelineSampler | undefined;
  const progress = createProgress(o.pretty, ctx.journal.tally);
  let ticker: NodeJS.Timeout | undefined;
  let guard: RunGuard | undefined;
  try {
    guard = openRunGuard(scenario, ctx, env); // production: refuses (exit 2) before anything starts
    const pending = () => (components?.proxy?.pending() ?? 0) + (components?.relays ?? []).reduce((s, r) => s + r.pending(), 0);
    const status = () => ({ scenario: scenario.name, phase, runDir, halted: ctx.halt.halted, pending: pending(), counts: ctx.journal.tally.totals() });
    components = await startComponents(scenario, ctx, status, env, guard.who);
    o.onReady?.({ proxyUrl: components.proxy?.url, controlUrl: components.controlUrl, runDir });
    o.logger.info('started', { runDir, proxy: components.proxy?.url, control: components.controlUrl });
    if (scenario.health) await waitForHealthy(scenario.health.url, scenario.health.timeout);

    // Keyed probes read exactly this run's keys: collect them from the first counted operation.
    for (const p of probes) if (p.keys) ctx.journal.tally.collectKeys(p.keys.rule);
    const keysFor = (p: Probe): readonly string[] | undefined => {
      if (!p.keys) return undefined;
      const sets = ctx.journal.tally.keysOf(p.keys.rule);
      return sets?.truncated ? undefined : [...(sets?.[p.keys.of] ?? [])];
    };
    const before = await takeSnapshot(probes);
    const unreadable = Object.entries(before).filter(([, r]) => r.error !== undefined);
    if (unreadable.length > 0) {
      throw new UnreachableError(unreadable.map(([name]) => `probe ${name}`).join(', '), unreadable.map(([, r]) => r.error).join('; '));
    }
    // Keyed probes are read once, after settle: the timeline charts the plain ones.
    sampler = new TimelineSampler(runFile(runDir, 'timeline'), probes.filter((p) => !p.keys), ctx.journal.tally, startedMs, () => phase);
    sampler.start(scenario.timeline.interval);

    // Operations count from here: rows written before this point are in the "before" snapshot.
    components.proxy?.openWindow();
    phase = 'chaos';
    setRunPhase(ctx.metrics, 'chaos');
    guard.startWatching(components.upstreamCounts);
    const windowEnd = Date.now() + scenario.duration;
    components.arm();
    const load = startLoad(scenario, components.proxy?.url, stop.signal, o.logger);
    ticker = setInterval(() => progress.update(phase, windowEnd - Date.now()), 250);
    await sleep(scenario.duration, stop.signal);

    phase = 'settle';
    setRunPhase(ctx.metrics, 'settle');
    await guard.stopWatching();
    const settleDeadline = Date.now() + scenario.settle;
    components.proxy?.stopInjecting();
    components.relays.forEach((r) => r.stopInjecting());
    await load.done;
    let settle: SettleResult | undefined;
    if (abortReason === undefined) {
      let drained = await settleAll([...(components.proxy ? [components.proxy] : []), ...components.relays, ...components.infraFaults], settleDeadline);
      // Steps of at least a second: two readings between two Prometheus scrapes would look "stable".
      // Keyed probes settle on the keys known now: with live traffic the key list keeps growing until
      // the window closes, and a moving list would never read "stable".
      const frozen = new Map(probes.filter((p) => p.keys).map((p) => [p, keysFor(p)]));
      const unstable = await waitForStableProbes(probes, settleDeadline, Math.max(scenario.timeline.interval, 1000), (p) => frozen.get(p));
      // The "after" snapshot waits for every original and copy started in the window (a little past the
      // settle deadline at most): each one still in flight could hide a leaked duplicate.
      if (components.proxy) drained = (await components.proxy.closeWindow(Math.max(2000, settleDeadline - Date.now()))) && drained;
      settle = { drained, pending: pending() + (components.proxy?.liveOriginals() ?? 0), unstable };
      o.logger.info('settled', { ...settle });
    } else {
      // Halt cancelled every copy not yet sent; the ones already on the wire reached the service, and
      // their answers are evidence: wait for them briefly rather than cut them off unanswered.
      await components.proxy?.closeWindow(ABORT_GRACE_MS);
    }
    clearInterval(ticker);
    progress.done();

    setRunPhase(ctx.metrics, 'verify');
    // Each keyed probe's keys once (up to 1,000,000 each): what it reads is what the verdict counts.
    const afterKeys = new Map(probes.filter((p) => p.keys).map((p) => [p, keysFor(p)]));
    const after = await takeSnapshot(probes, (p) => afterKeys.get(p));
    const keyed = Object.fromEntries(
      [...afterKeys].map(([p, keys]) => [p.name, { rule: p.keys!.rule, of: p.keys!.of, keys: keys?.length ?? 0 }]),
    );
    await sampler.sample();
    await sampler.stop();
    sampler = undefined;
    setRunPhase(ctx.metrics, abortReason === undefined ? 'done' : 'aborted');
    await components.close();
    const redeliveries = components.relays.reduce((s, r) => s + r.stats().redeliveries, 0);
    components = undefined;
    guard.end(abortReason);
    await ctx.journal.close();
    const verdict = await buildVerdict({
      scenario, startedAt: new Date(startedMs).toISOString(), endedAt: new Date().toISOString(),
      aborted: abortReason, before, after, tally: ctx.journal.tally,
      journalFile: runFile(runDir, 'journal'), kafka: { redeliveries }, dryRun: scenario.dryRun, settle, keyed,
    });
    if (ctx.journal.failure && verdict.status !== 'aborted') {
      // The books may be fine, but the evidence is not whole: never a pass (nor a fail built on it).
      const code = (ctx.journal.failure as NodeJS.ErrnoException).code ?? ctx.journal.failure.message;
      verdict.status = 'inconclusive';
      verdict.reason = `the journal could not be written (${code}; ${ctx.journal.lost} lines lost): fix the disk and run again${verdict.reason ? `; ${verdict.reason}` : ''}`;
    }
    writeVerdict(runDir, verdict);
    const reportFile = await renderReport(runDir, { grafanaUrl: scenario.report.grafanaUrl });
    return { verdict, runDir, reportFile, exitCode: verdictExitCode(verdict.status) };
  } finally {
    clearInterval(ticker);
    progress.done();
    o.signal?.removeEventListener('abort', onSignal);
    await guard?.stopWatching();
    await sampler?.stop();
    await components?.close();
    await Promise.all(probes.map((p) => p.close().catch(() => undefined)));
    await ctx.journal.close().catch(() => undefined);
  }
}
