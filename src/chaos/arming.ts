// Standing mode: a proxy in the path all the time, doing nothing until a run arms it for a bounded
// window (Toxiproxy's toxics, Envoy's fault filter). The proxy consults this one object: its rule list
// (empty = pass-through), seed, budget and scope. Disarming is automatic at the window's end (+ settle),
// on halt, and when the lease runs out (the arming run stopped renewing: the dead man's switch).
// State lives in memory only, on purpose: a restarted proxy comes back disarmed.
import { EventEmitter } from 'node:events';
import { compileRules, type CompiledRule } from '../http/match';
import type { HttpRule } from '../scenario/schema-http';
import type { KafkaRelay } from '../scenario/schema-kafka';
import { Budget, type BudgetLimits } from './budget';
import type { HaltSwitch } from './halt';

export interface Scope {
  header: string;
  values: readonly string[];
}

/** What a run arms on a standing relay, by the relay's name: the scenario's own relay settings. */
export type RelayArm = Pick<KafkaRelay, 'name' | 'fraction' | 'copies' | 'delay'>;

export interface ArmSpec {
  runId: string;
  /** The approval's name of the arming run (never a token). */
  who?: string;
  /** Standing proxy: the HTTP rules. Standing relay: `relays` (a proxy arms no relay, and back). */
  rules?: HttpRule[];
  relays?: RelayArm[];
  seed: number;
  dryRun: boolean;
  /** This replica's share of the run's budget. */
  budget: BudgetLimits;
  windowEndMs: number;
  settleMs: number;
  leaseMs: number;
  scope?: Scope;
}

export interface ArmedState {
  runId: string;
  who?: string;
  armedAtMs: number;
  windowEndMs: number;
  leaseEndMs: number;
  injecting: boolean;
}

/** The budget of whatever is armed; disarmed, every take is refused (fail closed). */
export class ArmedBudget extends Budget {
  current: Budget | undefined;
  constructor() {
    super({ total: 0 });
  }
  override tryTake(inFlight = false): 'ok' | 'total' | 'rate' | 'in-flight' {
    return this.current?.tryTake(inFlight) ?? 'total';
  }
  override refund(): void {
    this.current?.refund();
  }
  override release(): void {
    this.current?.release();
  }
  override get used(): number {
    return this.current?.used ?? 0;
  }
  override get remaining(): number {
    return this.current?.remaining ?? 0;
  }
}

export class ArmingConflict extends Error {}

export class Arming extends EventEmitter {
  /** Shared with the proxy's request handlers: mutated in place, never replaced. */
  readonly rules: CompiledRule[] = [];
  /** Standing relays: the armed settings by relay name (empty = pass-through). */
  readonly relays = new Map<string, RelayArm>();
  readonly budget = new ArmedBudget();
  seed = 0;
  dryRun = false;
  scope: Scope | undefined;
  private armed: ArmedState | undefined;
  private timers: NodeJS.Timeout[] = [];
  private lease: NodeJS.Timeout | undefined;

  constructor(private readonly halt: HaltSwitch, private readonly now: () => number = Date.now) {
    super();
    // A halt from anywhere (control API, signal) disarms: the next run must arm again explicitly.
    halt.on('halt', (reason: string) => this.disarm(`halted: ${reason}`));
  }

  get state(): ArmedState | undefined {
    return this.armed && { ...this.armed };
  }

  arm(spec: ArmSpec): ArmedState {
    if (this.armed && this.armed.runId !== spec.runId) throw new ArmingConflict(`armed by run ${this.armed.runId} until ${new Date(this.armed.windowEndMs).toISOString()}`);
    if (this.armed) this.disarm('re-armed by the same run');
    const t = this.now();
    if (spec.windowEndMs <= t) throw new RangeError('windowEnd is in the past');
    this.seed = spec.seed;
    this.dryRun = spec.dryRun;
    this.scope = spec.scope;
    this.budget.current = new Budget(spec.budget);
    this.halt.resume();
    this.rules.splice(0, this.rules.length, ...compileRules(spec.rules ?? []));
    this.relays.clear();
    for (const r of spec.relays ?? []) this.relays.set(r.name, r);
    this.armed = { runId: spec.runId, who: spec.who, armedAtMs: t, windowEndMs: spec.windowEndMs, leaseEndMs: t + spec.leaseMs, injecting: true };
    this.timers = [
      setTimeout(() => this.stopInjecting(spec.runId), spec.windowEndMs - t).unref(),
      setTimeout(() => this.disarm('window ended'), spec.windowEndMs + spec.settleMs - t).unref(),
    ];
    this.renewLease(spec.leaseMs);
    this.emit('arm', this.state, spec);
    return this.state!;
  }

  /** The dead man's switch: the arming run must call this before the lease runs out. */
  renew(runId: string, leaseMs: number): ArmedState {
    if (!this.armed || this.armed.runId !== runId) throw new ArmingConflict(`not armed for run ${runId} (expired, disarmed or restarted)`);
    this.renewLease(leaseMs);
    return this.state!;
  }

  private renewLease(leaseMs: number): void {
    clearTimeout(this.lease);
    this.armed!.leaseEndMs = this.now() + leaseMs;
    this.lease = setTimeout(() => this.disarm('lease expired (the arming run stopped renewing)'), leaseMs).unref();
  }

  /** Window over: no new copies are planned; planned copies finish (settle). */
  stopInjecting(runId: string): void {
    if (!this.armed || this.armed.runId !== runId || !this.armed.injecting) return;
    this.armed.injecting = false;
    this.rules.splice(0, this.rules.length);
    this.relays.clear();
    this.emit('settle', this.state);
  }

  /** Everything stops: no rules, no budget, pending copies cancelled (through the halt switch). */
  disarm(reason: string): void {
    const was = this.armed;
    if (!was) return;
    this.armed = undefined;
    for (const t of this.timers) clearTimeout(t);
    clearTimeout(this.lease);
    this.rules.splice(0, this.rules.length);
    this.relays.clear();
    this.halt.halt(`disarmed: ${reason}`); // cancels every pending copy before it returns
    this.budget.current = undefined;
    this.emit('disarm', was, reason);
  }
}
