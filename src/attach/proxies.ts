// `attach:` the run arms standing proxies instead of starting its own. To the experiment it looks like
// one proxy (pending, settle, stopInjecting, close); behind it: every replica armed with the run's rules
// and seed (decisions are keyed on the identity, so replicas agree without talking) and its share of
// the budget; the lease renewed (the dead man's switch); journal lines collected every second and
// merged into the run's journal with ids made unique per replica (p1/o-12); any halt disarms all.
import { randomUUID } from 'node:crypto';
import { audit } from '../gate/audit';
import type { JournalEntry } from '../journal/types';
import { messageOf } from '../errors';
import type { RunningProxy } from '../http/proxy';
import type { ChaosContext } from '../run/context';
import type { Scenario } from '../scenario/schema';
import { resolveSecret } from '../secrets';
import type { UpstreamCounts } from '../stop/types';
import { Replica } from './replica';
import { splitBudget } from './split-budget';

export interface AttachedProxies extends RunningProxy {
  upstreamCounts(): Promise<UpstreamCounts>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const COLLECT_EVERY_MS = 1000;

export async function attachProxies(scenario: Scenario, ctx: ChaosContext, env: NodeJS.ProcessEnv, who: string | undefined): Promise<AttachedProxies> {
  const a = scenario.attach!;
  const token = a.token ? resolveSecret(a.token, 'attach.token', env) : undefined;
  const runId = `${scenario.name}-${randomUUID().slice(0, 8)}`;
  const replicas = a.proxies.map((u, i) => new Replica(new URL(u), token, runId, i));
  const windowEnd = new Date(Date.now() + scenario.duration + a.margin).toISOString();
  const armed: Replica[] = [];
  try {
    for (const [i, r] of replicas.entries()) {
      await r.arm({
        who, rules: scenario.http!.rules, seed: scenario.seed, dryRun: scenario.dryRun,
        budget: splitBudget(scenario.budget, replicas.length, i), windowEnd, settle: scenario.settle, lease: a.lease, scope: scenario.gate.scope,
      });
      armed.push(r);
    }
  } catch (err) {
    // All or nothing: a run that cannot arm every replica arms none.
    await Promise.allSettled(armed.map((r) => r.disarm('the run could not arm every replica')));
    throw err;
  }
  ctx.logger.info('armed standing proxies', { run: runId, replicas: replicas.map((r) => r.name) });

  let closed = false;
  const lost = (r: Replica, why: string) => ctx.halt.halt(`replica ${r.name} (${r.control.origin}) lost its arming: ${why}`);
  const disarmAll = (reason: string) => Promise.allSettled(replicas.map((r) => r.disarm(reason)));
  ctx.halt.on('halt', (reason: string) => void disarmAll(reason));

  // Renew every lease/3; a replica that says "not armed" was restarted or expired: fail closed.
  const lastRenewed = replicas.map(() => Date.now());
  const renewer = setInterval(() => {
    replicas.forEach((r, i) => {
      r.renew(a.lease)
        .then(() => (lastRenewed[i] = Date.now()))
        .catch((err) => {
          const msg = messageOf(err);
          if (/answered 409/.test(msg) || Date.now() - lastRenewed[i]! > a.lease) lost(r, msg);
          else ctx.logger.warn('lease renewal failed, retrying', { replica: r.name, error: msg });
        });
    });
  }, Math.max(100, Math.floor(a.lease / 3)));

  const merge = (r: Replica, lines: JournalEntry[]) => {
    const tag = (id: string | undefined) => (id === undefined ? undefined : `${r.name}/${id}`);
    for (const l of lines) ctx.journal.write({ ...l, id: tag(l.id)!, of: tag(l.of), replica: r.name });
  };
  const collectOnce = async () => {
    await Promise.all(replicas.map(async (r) => {
      for (let more = true; more; ) {
        const p = await r.page();
        merge(r, p.lines);
        more = p.lines.length > 0;
      }
      await r.state();
    }));
  };
  // One collection at a time: two concurrent pages from the same offset would merge lines twice.
  let chain: Promise<void> = Promise.resolve();
  const collect = (): Promise<void> => {
    const run = chain.then(collectOnce);
    chain = run.catch((err) => {
      ctx.logger.warn('collecting journal lines failed', { error: messageOf(err) });
    });
    return run;
  };
  const collector = setInterval(() => void collect().catch(() => undefined), COLLECT_EVERY_MS);

  const pending = () => replicas.reduce((s, r) => s + (r.last?.pending ?? 0), 0);
  const api: AttachedProxies = {
    url: replicas[0]!.last?.proxy ?? '',
    pending,
    // Standing replicas count from when the run armed them; the counting window is theirs, not ours.
    openWindow: () => undefined,
    liveOriginals: () => 0,
    closeWindow: (timeoutMs: number): Promise<boolean> => api.settle(timeoutMs),
    async settle(timeoutMs: number): Promise<boolean> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await collect().catch(() => undefined);
        if (pending() === 0) return true;
        if (Date.now() >= deadline) return false;
        await sleep(Math.min(250, Math.max(0, deadline - Date.now())));
      }
    },
    stopInjecting() {
      void Promise.allSettled(replicas.map((r) => r.settle()));
    },
    async upstreamCounts() {
      await Promise.all(replicas.map((r) => r.state()));
      return replicas.reduce((s, r) => ({ originals: s.originals + (r.last?.counts.originals ?? 0), errors5xx: s.errors5xx + (r.last?.counts.errors5xx ?? 0) }), { originals: 0, errors5xx: 0 });
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(renewer);
      clearInterval(collector);
      await chain;
      await disarmAll('run ended');
      // The disarm lines (and copies cancelled by it) are the last ones: collect until nothing is left.
      await collect().catch((err) => audit(ctx.journal, 'halt', { detail: `journal lines of a replica could not be collected: ${messageOf(err)}` }));
      for (const r of replicas.filter((x) => x.dropped > 0)) {
        audit(ctx.journal, 'halt', { detail: `replica ${r.name} dropped ${r.dropped} journal lines (kept at most 200,000 between collections): counts are incomplete` });
      }
    },
  };
  return api;
}
