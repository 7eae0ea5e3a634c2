// Starts what a scenario names (control API, proxy, relays, built-in load) and stops it in reverse.
import { startControlServer } from '../control/server';
import { resolveSecret } from '../secrets';
import { startProxy, type RunningProxy } from '../http/proxy';
import { startRelay, type RunningRelay } from '../kafka/relay';
import { relayHealth } from '../kafka/relay-status';
import { runKafkaLoad } from '../kafka/load-producer';
import { runHttpLoad } from '../load/http-load';
import { startLinks, type RunningLinks } from '../links';
import { startRedeliveries } from '../kafka/redeliver';
import type { Settleable } from './settle';
import type { Logger } from '../log';
import type { Scenario } from '../scenario/schema';
import type { ChaosContext } from './context';
import { attachProxies } from '../attach/proxies';
import type { UpstreamCounts } from '../stop/types';

export interface Components {
  controlUrl: string;
  proxy?: RunningProxy;
  relays: RunningRelay[];
  /** TCP links to dependencies (`links:`); armed when the chaos window starts. */
  links?: RunningLinks;
  /** Faults in the service's own infrastructure that must finish before the "after" snapshot. */
  infraFaults: Settleable[];
  /** Start of the chaos window: link windows and forced redeliveries are timed from here. */
  arm(): void;
  /** attach mode: the standing proxies' view of the upstream (the stop conditions read it). */
  upstreamCounts?: () => Promise<UpstreamCounts>;
  /** Stops everything that was started, newest first; never throws. */
  close(): Promise<void>;
}

export async function startComponents(
  scenario: Scenario,
  ctx: ChaosContext,
  status: () => unknown,
  env: NodeJS.ProcessEnv,
  who?: string,
): Promise<Components> {
  const closers: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch((err) => ctx.logger.warn('close failed', { error: String(err) }));
  };
  try {
    const token = scenario.control.token !== undefined ? resolveSecret(scenario.control.token, 'control.token', env) : undefined;
    const relays: RunningRelay[] = [];
    const named = () => relays.map((relay, i) => ({ name: scenario.kafka!.relays[i].name, relay }));
    const control = await startControlServer({
      listen: scenario.control.listen, token, halt: ctx.halt, registry: ctx.metrics.registry, status, logger: ctx.logger,
      health: () => relayHealth(named()),
    });
    closers.push(() => control.close());
    // Links first: the service reaches its dependencies through them from the baseline on.
    const links = scenario.links?.length ? await startLinks(scenario.links, ctx) : undefined;
    if (links) closers.push(() => links.close());
    const common = { seed: scenario.seed, dryRun: scenario.dryRun, budget: ctx.budget, halt: ctx.halt, metrics: ctx.metrics, journal: ctx.journal, logger: ctx.logger };
    // The counting window opens after the "before" snapshot (runExperiment): traffic that arrives
    // earlier is forwarded, never picked, and not counted as an operation.
    const attached = scenario.attach ? await attachProxies(scenario, ctx, env, who) : undefined;
    const proxy = attached ?? (scenario.http ? await startProxy({ http: scenario.http, ...common, armed: { scope: scenario.gate.scope }, windowClosed: true }) : undefined);
    if (proxy) closers.push(() => proxy.close(2000));
    for (const relay of scenario.kafka?.relays ?? []) {
      const running = await startRelay({ kafka: scenario.kafka!, relay, ...common });
      relays.push(running);
      closers.push(() => running.close());
      // A relay that fails for good (refused message, dead consumer, foreign group member) stops
      // consuming: the run must not go on as if it were relaying. Halting ends it as aborted, naming why.
      void running.failed.then((reason) => ctx.halt.halt(`relay ${relay.name} failed: ${reason}`));
    }
    const redeliver = scenario.kafka?.redeliver?.length
      ? startRedeliveries(scenario.kafka, scenario.kafka.redeliver, scenario.seed, scenario.duration, ctx)
      : undefined;
    if (redeliver) closers.push(() => redeliver.close());
    const arm = () => (links?.arm(), redeliver?.arm());
    return { controlUrl: control.url, proxy, relays, links, infraFaults: redeliver ? [redeliver] : [], arm, close, upstreamCounts: attached?.upstreamCounts };
  } catch (err) {
    await close();
    throw err;
  }
}

export interface LoadRun {
  done: Promise<unknown>;
}

/** Built-in traffic for the chaos window; paths (`/orders`) go through the scenario's proxy. */
export function startLoad(scenario: Scenario, proxyUrl: string | undefined, signal: AbortSignal, logger: Logger): LoadRun {
  const runs: Promise<unknown>[] = [];
  scenario.load?.http.forEach((spec, index) => {
    const url = spec.url.startsWith('/') ? `${proxyUrl ?? ''}${spec.url}` : spec.url;
    runs.push(runHttpLoad({ ...spec, url }, { seed: scenario.seed, index, durationMs: scenario.duration, signal, logger }));
  });
  scenario.load?.kafka.forEach((spec, index) => {
    // index: part of every message id, so two kafka loads never send the same message-id.
    runs.push(runKafkaLoad(spec, { brokers: [...scenario.kafka!.brokers], seed: scenario.seed, index, durationMs: scenario.duration, signal, logger }));
  });
  return { done: Promise.allSettled(runs) };
}
