// Turn a matched request into an Exchange: identity, client-retry memory, the seeded decision, and
// the safety switches (halt, dry-run, budget for lost-reply). Decides BEFORE any body byte is read.
import type { IncomingMessage } from 'node:http';
import type { UpstreamRequest } from './forward';
import { UndiciForwarding } from './forward-undici';
import type { Budget } from '../chaos/budget';
import { decide } from '../chaos/decide';
import type { HaltSwitch } from '../chaos/halt';
import { faultDriver } from '../faults';
import type { Journal } from '../journal/writer';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { CopyScheduler } from './copies';
import { Exchange, type Picked } from './exchange';
import type { HttpFault } from '../scenario/schema-http';
import { pathOf, type CompiledRule } from './match';
import { IdleWaiters } from '../chaos/idle-waiters';
import { RecentKeys } from '../chaos/recent-keys';
import type { Arming, Scope } from '../chaos/arming';
import type { PendingBytes } from '../chaos/pending-bytes';

export interface DecisionDeps {
  seed: number;
  dryRun: boolean;
  identityHeader: string;
  maxBodyBytes: number;
  budget: Budget;
  halt: HaltSwitch;
  journal: Journal;
  metrics: Metrics;
  logger: Logger;
  scheduler: CopyScheduler;
  pendingBytes: PendingBytes;
  /** Only requests carrying scope.header with one of its values are ever duplicated (test tenants). */
  scope?: Scope;
  /** Standing mode: seed, dry-run and scope come from whatever run armed the proxy. */
  arming?: Arming;
  /** Start with the counting window closed (a run opens it after the "before" snapshot). */
  windowClosed?: boolean;
}

function inScope(headers: IncomingMessage['headers'], scope: Scope | undefined): boolean {
  if (scope === undefined) return true;
  const v = headers[scope.header];
  return typeof v === 'string' && scope.values.includes(v);
}

export class Decider {
  /** Keyless arrival order, per rule: adding a rule must not shift another rule's picks. */
  private readonly seq = new Map<string, number>();
  private readonly seen = new Map<string, RecentKeys>();
  /** One Picked record per fault, shared by every exchange it picks (never mutated): not one per
   * request. Weak: a standing proxy re-armed with new rules lets the old faults go. */
  private readonly pickedBy = new WeakMap<HttpFault, Picked>();
  private injecting = true;
  /** Counting window (a run opens it after the "before" snapshot and closes it before the "after"). */
  private windowOpen: boolean;
  private live = 0;
  private readonly idle = new IdleWaiters();

  constructor(private readonly d: DecisionDeps) {
    this.windowOpen = !d.windowClosed;
  }

  /** Originals started in the window and not yet journaled. */
  get liveOriginals(): number {
    return this.live;
  }

  openWindow(): void {
    this.windowOpen = true;
  }

  /** From now on requests are forwarded but neither picked nor counted; the ones in flight finish. */
  closeWindow(): void {
    this.windowOpen = false;
  }

  /** Resolves true when every original started in the window has been journaled (false on timeout). */
  drainOriginals(timeoutMs: number): Promise<boolean> {
    return this.idle.wait(() => this.live === 0, timeoutMs);
  }

  /** Called once per exchange when its original line is written. */
  journaled(ex: Exchange): void {
    if (!ex.inWindow) return;
    this.live -= 1;
    if (this.live === 0) this.idle.wake();
  }

  begin(req: IncomingMessage, rule: CompiledRule): Exchange {
    const d = this.d;
    const raw = req.headers[d.identityHeader];
    const key = Array.isArray(raw) ? raw.join(', ') : raw;
    // Without a key the identity is the arrival order: deterministic for the same traffic sequence.
    const url = req.url ?? '/';
    if (!this.windowOpen) {
      // Before the "before" snapshot or after the window: its rows are outside the measured change.
      const outside = new Exchange(d.journal.nextOriginalId(), rule, req.method ?? 'GET', url, pathOf(url), key);
      return this.notDuplicated(outside, 'outside-window');
    }
    const n = (this.seq.get(rule.name) ?? 0) + 1;
    this.seq.set(rule.name, n);
    const identity = key ?? `#${n}`;
    const ex = new Exchange(d.journal.nextOriginalId(), rule, req.method ?? 'GET', url, pathOf(url), key);
    ex.inWindow = true;
    this.live += 1;
    // fraction 0 never picks: no retry memory and no generator on the hot path.
    if (rule.rule.fraction === 0) return ex;
    const armed = d.arming ?? d;
    if (!inScope(req.headers, armed.scope)) return this.notDuplicated(ex, 'out-of-scope');
    // Two identity lines name two operations at once: whatever we did with the copy would be a guess.
    if (Array.isArray(raw)) return this.notDuplicated(ex, 'ambiguous-key');
    if (key !== undefined && this.seenKeys(rule.name).seenBefore(key)) return this.notDuplicated(ex, 'client-retry');
    if (!this.injecting) return this.notDuplicated(ex, 'settling');
    const plan = decide(armed.seed, rule.rule, identity);
    if (!plan.picked) return ex;
    const fault = rule.rule.faults[plan.faultIndex];
    ex.faultKind = fault.kind;
    if (d.halt.halted) return this.notDuplicated(ex, 'halted');
    if (armed.dryRun) {
      ex.dryRun = true;
      d.logger.info('dry-run decision', { rule: rule.name, id: ex.id, fault: fault.kind, copies: plan.copyDelaysMs.length, delaysMs: plan.copyDelaysMs });
      return this.notDuplicated(ex, 'dry-run');
    }
    const driver = faultDriver(fault.kind);
    if (driver.clock === 'none') {
      // lost-reply sends nothing itself, but the client's retry is a duplicate we caused: budget it.
      const taken = d.budget.tryTake();
      if (taken !== 'ok') return this.notDuplicated(ex, `budget-${taken}`);
      ex.picked = this.pickedFor(fault);
      ex.noBody();
      return ex;
    }
    // Reserve the body's bytes before keeping any: Content-Length when given, else the cap (shrunk later).
    const length = req.headers['content-length'];
    const want = length !== undefined ? Math.min(Number(length) || 0, d.maxBodyBytes) : req.headers['transfer-encoding'] !== undefined ? d.maxBodyBytes : 0;
    if (!d.pendingBytes.tryHold(ex, want, plan.copyDelaysMs.length)) return this.notDuplicated(ex, 'pending-bytes');
    ex.picked = this.pickedFor(fault);
    if (length === undefined && want > 0) ex.bodyReady.then((body) => d.pendingBytes.shrink(ex, body?.length ?? 0)).catch(() => undefined);
    d.scheduler.plan(ex, plan.copyDelaysMs);
    return ex;
  }

  /**
   * A picked request, once the forward path has it (`out`: its upstream request): keep its headers as
   * the upstream saw them and its body. undici's forward path collects the body anyway and hands it
   * over; node:http's streams it, so it is teed. After the forward path, not in begin(): the tee's
   * listeners must not be the request's first (see ProxyHandlers.onRequest), and no body chunk is
   * read before the next tick anyway.
   */
  keepForCopies(ex: Exchange, req: IncomingMessage, out: UpstreamRequest | undefined): void {
    ex.keepHeaders(req.headers);
    if (ex.picked!.driver.clock === 'none') return;
    if (!(out instanceof UndiciForwarding)) return ex.teeBody(req, this.d.maxBodyBytes);
    // Its Content-Length is known and within BUFFERED_BODY_MAX (forward.ts fitsUndici).
    if (Number(req.headers['content-length'] ?? 0) > this.d.maxBodyBytes) return ex.failBody('body-too-large');
    out.watchBody(ex);
  }

  /** The settle phase: originals keep flowing, copies already planned finish, no new ones are planned. */
  stopInjecting(): void {
    this.injecting = false;
  }

  private notDuplicated(ex: Exchange, reason: string): Exchange {
    ex.reason = reason;
    this.d.metrics.httpNotDuplicated.inc({ rule: ex.rule.name, reason });
    return ex;
  }

  private pickedFor(fault: HttpFault): Picked {
    let p = this.pickedBy.get(fault);
    if (!p) this.pickedBy.set(fault, (p = Object.freeze({ fault, driver: faultDriver(fault.kind) })));
    return p;
  }

  private seenKeys(rule: string): RecentKeys {
    let s = this.seen.get(rule);
    if (!s) this.seen.set(rule, (s = new RecentKeys()));
    return s;
  }
}
