// Copy scheduling: one timer wheel for every delay, budget at send time, halt, classification and the
// journal line per copy. Everything here runs off the original's path; any exception is caught and
// logged (fail open), and any doubt means no copy (fail closed).
import { hash } from 'node:crypto';
import type { Budget } from '../chaos/budget';
import type { PendingBytes } from '../chaos/pending-bytes';
import type { HaltSwitch } from '../chaos/halt';
import { IdleWaiters } from '../chaos/idle-waiters';
import { TimerWheel } from '../chaos/timer-wheel';
import { isNoCopy } from '../faults';
import { isSuccess } from '../faults/answer';
import type { Journal } from '../journal/writer';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import { messageOf } from '../errors';
import type { AttemptResult } from './classify';
import { sendCopy, type CopyResult } from './copy-sender';
import type { Exchange } from './exchange';
import { CopyJudge, type CopyJudgement } from './judge-copy';
import { PlannedCopy, type Sent } from './planned-copy';
import type { Upstream } from './upstream';

/** Copies falling due within this many milliseconds of each other fire together from one timer. */
const SLOT_MS = 2;

export interface SchedulerDeps {
  upstream: Upstream;
  halt: HaltSwitch;
  budget: Budget;
  metrics: Metrics;
  journal: Journal;
  logger: Logger;
  copyTimeoutMs: number;
  identityHeader: string;
  markHeader?: string;
  /** Bytes of bodies held for pending copies; each finished copy reports in (see chaos/pending-bytes.ts). */
  pendingBytes?: PendingBytes;
}

const isOk = (a: AttemptResult | undefined): boolean => a?.error === undefined && isSuccess(a?.status);

/** Why copies of this original must not be sent, or undefined when it succeeded. */
function originalFailure(orig: AttemptResult | undefined): string | undefined {
  if (orig === undefined || orig.error !== undefined || orig.status === undefined || orig.status >= 500) return 'original-failed';
  return isOk(orig) ? undefined : 'original-refused';
}

export class CopyScheduler {
  /** Pending copies the wheel does not hold: waiting for their original's answer or body, or in
   * flight. A copy waiting on its delay is only in the wheel (no set entry per waiting copy). */
  private readonly held = new Set<PlannedCopy>();
  private readonly idle = new IdleWaiters();
  private readonly wheel: TimerWheel<PlannedCopy>;
  /** The labelled child once: prom-client hashes a label object on every call. */
  private readonly copyDuration;
  private readonly judge = new CopyJudge();

  constructor(private readonly d: SchedulerDeps) {
    this.copyDuration = d.metrics.upstreamDuration.labels({ kind: 'copy' });
    this.wheel = new TimerWheel<PlannedCopy>(this.fire, SLOT_MS, this.onBug);
    d.halt.on('halt', this.onHalt);
    this.updateBudgetGauge();
  }

  get pending(): number {
    return this.held.size + this.wheel.size;
  }

  /** Plan every copy of a picked exchange (one per delay); they count as pending from now on. */
  plan(ex: Exchange, delaysMs: readonly number[]): void {
    const picked = ex.picked!;
    const copies = delaysMs.map((delayMs, index) => new PlannedCopy(ex, index, delayMs));
    this.d.metrics.pendingCopies.inc(copies.length);
    if (picked.driver.clock === 'from-send') for (const copy of copies) this.wheel.schedule(copy, copy.delayMs);
    else {
      for (const copy of copies) this.held.add(copy);
      ex.whenResponded((orig) => this.afterOriginal(copies, orig));
    }
  }

  /** Runs inside the forward path's answer handling (Exchange.whenResponded): each copy's work is caught. */
  private afterOriginal(copies: PlannedCopy[], orig: AttemptResult | undefined): void {
    // A duplicate of a write that did not happen tests nothing, and a correct service would then
    // execute it: judged re-executed, it would be a false alarm. No copy.
    const failed = originalFailure(orig);
    for (const copy of copies) {
      if (copy.state !== 'waiting') continue;
      try {
        if (failed) this.drop(copy, copy.ex.bodyFailure ?? failed, true);
        else {
          this.held.delete(copy);
          this.wheel.schedule(copy, copy.delayMs);
        }
      } catch (err) {
        this.onBug(err); // one copy's bug must not strand its siblings
      }
    }
  }

  private readonly fire = (copy: PlannedCopy): void => {
    const { ex } = copy;
    this.held.add(copy);
    // The body is almost always there by now: send at once rather than through a promise.
    if (ex.body !== undefined || ex.bodyFailure !== undefined) this.trySend(copy, ex.body);
    else ex.bodyReady.then((body) => this.trySend(copy, body)).catch(this.onBug);
  };

  private trySend(copy: PlannedCopy, body: Buffer | undefined): void {
    try {
      this.send(copy, body);
    } catch (err) {
      // Fail closed: a copy we could not build or send is no copy; it must not stay pending.
      this.onBug(err);
      if (copy.state === 'waiting') this.drop(copy, 'internal-error', false);
    }
  }

  private send(copy: PlannedCopy, body: Buffer | undefined): void {
    if (copy.state !== 'waiting') return;
    const { ex } = copy;
    if (body === undefined) return this.drop(copy, ex.bodyFailure ?? 'no-body', true);
    if (this.d.halt.halted) return this.cancel(copy); // belt and braces: halt already cancelled it
    const picked = ex.picked!;
    const shape = picked.driver.shape({ headers: ex.headers, body, identityHeader: this.d.identityHeader }, picked.fault as never, copy.index);
    if (isNoCopy(shape)) return this.drop(copy, shape.skip, true);
    const taken = this.d.budget.tryTake(true);
    this.updateBudgetGauge();
    if (taken !== 'ok') return this.drop(copy, `budget-${taken}`, false);
    if (this.d.markHeader) shape.headers[this.d.markHeader] = copy.id;
    const key = shape.headers[this.d.identityHeader];
    const sent: Sent = {
      sentMs: performance.now(),
      key: Array.isArray(key) ? key.join(', ') : key,
      bodySha256: shape.body === body ? ex.bodySha256 : hash('sha256', shape.body, 'hex'),
      attempt: undefined,
    };
    copy.sent = sent;
    copy.state = 'sending';
    this.d.metrics.copyDelay.observe(copy.delayMs / 1000);
    const spec = { method: ex.method, url: ex.url, headers: shape.headers, body: shape.body, identityPointer: ex.rule.rule.responseId, key: sent.key };
    sent.attempt = sendCopy(this.d.upstream, spec, this.d.copyTimeoutMs, (result) => this.answered(copy, result));
  }

  /** The copy's answer (or error) is in; it is judged once the original's answer is known too. */
  private answered(copy: PlannedCopy, result: CopyResult): void {
    // Called from inside undici's response handling: finishSafely never lets a bug escape into it.
    // The original's answer is almost always in by now: no closure for whenResponded then.
    const { ex } = copy;
    if (ex.original !== undefined) this.finishSafely(copy, result, ex.original);
    else ex.whenResponded((original) => this.finishSafely(copy, result, original));
  }

  private finishSafely(copy: PlannedCopy, result: CopyResult, original: AttemptResult): void {
    try {
      this.finish(copy, result, original);
    } catch (err) {
      this.onBug(err);
    }
  }

  private finish(copy: PlannedCopy, result: CopyResult, original: AttemptResult | undefined): void {
    if (copy.state !== 'sending') return;
    const { ex } = copy;
    this.copyDuration.observe(result.durationMs / 1000);
    // A burst copy can overtake its original: the original then gets a 409 (or fails) and the first
    // copy that succeeds did the operation's one execution. It is judged against nothing (conflict when
    // the original got the 409, else unverified: only the books can tell) and becomes the reference the
    // group's later copies are compared with. Never relabelled: a second execution stays re-executed.
    if (!isOk(original) && isOk(result) && ex.standIn === undefined) {
      ex.standIn = result;
      this.judge.noteExecution(copy, result);
      const outcome = original?.status === 409 ? 'conflict' : 'unverified';
      return this.record(copy, { outcome, ...(outcome === 'conflict' ? { verifiedBy: 'status' as const } : {}) }, result, true);
    }
    this.record(copy, this.judge.judge(copy, ex.picked!.driver, result, ex.standIn ?? original), result);
  }

  /** Halted before it was on the wire: never sent, journaled as cancelled. */
  private cancel(copy: PlannedCopy): void {
    // Out of the wheel (if it waits there) when record() removes it, synchronously, below.
    if (copy.sent?.attempt) {
      copy.sent.attempt.cancel();
      this.d.budget.refund();
      this.updateBudgetGauge();
    }
    this.record(copy, { outcome: 'cancelled' }, undefined);
  }

  private record(copy: PlannedCopy, judged: CopyJudgement, result: CopyResult | undefined, firstExecution = false): void {
    const { outcome, verifiedBy, identityIgnored } = judged;
    copy.state = 'done';
    if (copy.sent !== undefined) this.d.budget.release(); // its in-flight slot (budget.inFlight)
    this.remove(copy);
    const { ex } = copy;
    const kind = ex.picked!.fault.kind;
    this.d.metrics.httpCopies.inc({ rule: ex.rule.name, fault: kind, outcome });
    this.d.journal.write({
      kind: 'copy', id: copy.id, of: ex.id, rule: ex.rule.name, fault: kind, method: ex.method, path: ex.path,
      key: outcome === 'cancelled' ? ex.key : copy.sent?.key, bodySha256: copy.sent?.bodySha256, delayMs: copy.delayMs,
      status: result?.status, outcome, verifiedBy, identityIgnored, firstExecution: firstExecution || undefined,
      durationMs: result ? Math.round(result.durationMs * 1000) / 1000 : undefined, error: result?.error,
    });
  }

  /** Not sent and not an attempt: journaled as a copy line with a `reason` and no outcome (the tally
   * counts it apart from copies). perOriginal reasons count once per original in the metric. */
  private drop(copy: PlannedCopy, reason: string, perOriginal: boolean): void {
    copy.state = 'done';
    this.remove(copy);
    const { ex } = copy;
    if (!perOriginal || ex.firstTime(reason)) this.d.metrics.httpNotDuplicated.inc({ rule: ex.rule.name, reason });
    this.d.journal.write({
      kind: 'copy', id: copy.id, of: ex.id, rule: ex.rule.name, fault: ex.picked!.fault.kind, method: ex.method, path: ex.path,
      key: ex.key, delayMs: copy.delayMs, reason,
    });
  }

  private remove(copy: PlannedCopy): void {
    if (!this.held.delete(copy) && !this.wheel.cancel(copy)) return;
    this.d.pendingBytes?.copyDone(copy.ex);
    this.d.metrics.pendingCopies.dec();
    if (this.pending === 0) this.idle.wake();
  }

  /** Runs synchronously inside halt(): when halt() returns, no further copy can reach the upstream. */
  private readonly onHalt = (): void => {
    try {
      for (const copy of this.all()) {
        if (copy.state === 'waiting') this.cancel(copy);
        else if (copy.state === 'sending' && !copy.sent?.attempt?.onWire) this.cancel(copy);
      }
    } catch (err) {
      this.onBug(err);
    }
  };

  /** Cancel whatever is still pending (shutdown). A copy already on the wire was sent: cutting it off
   * is a connection error (the upstream may have run it), not a cancel, and its budget stays spent. */
  cancelAll(): void {
    for (const copy of this.all()) {
      if (copy.state === 'done') continue;
      const sent = copy.sent;
      if (copy.state === 'sending' && sent?.attempt?.onWire) {
        sent.attempt.abort();
        this.record(copy, { outcome: 'error' }, { error: 'proxy closed while the copy was in flight', durationMs: performance.now() - sent.sentMs });
      } else this.cancel(copy);
    }
  }

  /** Every pending copy: the ones waiting on a delay (earliest first), then the others. */
  private all(): PlannedCopy[] {
    return [...this.wheel.items(), ...this.held];
  }

  settle(timeoutMs: number): Promise<boolean> {
    return this.idle.wait(() => this.pending === 0, timeoutMs);
  }

  close(): void {
    this.d.halt.off('halt', this.onHalt);
  }

  private updateBudgetGauge(): void {
    const r = this.d.budget.remaining;
    this.d.metrics.budgetRemaining.set(r === Infinity ? -1 : r);
  }

  private readonly onBug = (err: unknown): void => {
    this.d.logger.error('chaos path error (original unaffected)', { error: messageOf(err) });
  };
}
