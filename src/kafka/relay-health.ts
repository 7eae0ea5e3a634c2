// Is the relay relaying? One small state machine fed by kafkajs instrumentation events, so /healthz and
// /status never say "relaying" while the consumer is dead, the producer gone or the broker unreachable
// (docs/relay.md, "Liveness contract").
import { EventEmitter } from 'node:events';
import type { Admin, Consumer, Producer } from 'kafkajs';
import { messageOf } from '../errors';
import type { Logger } from '../log';

export type RelayState = 'starting' | 'relaying' | 'paused' | 'idle' | 'stalled' | 'failed' | 'stopped';

export interface Liveness {
  /** No contact with the broker (fetch, heartbeat, join) for this long while working: stalled. */
  stallMs: number;
  /** Stalled this long: failed (the process exits 3; a supervisor starts a fresh one). */
  failAfterMs: number;
}

export const DEFAULT_LIVENESS: Liveness = { stallMs: 15_000, failAfterMs: 120_000 };

export interface HealthSnapshot {
  state: RelayState;
  /** Why the state is not `relaying` (or was last not): a sentence a person can act on. */
  reason?: string;
  assignedPartitions: number;
  lastContactMsAgo: number;
}

/** States in which /healthz answers 200. */
const HEALTHY: ReadonlySet<RelayState> = new Set(['starting', 'relaying', 'paused', 'idle']);
export const isHealthy = (state: RelayState): boolean => HEALTHY.has(state);

export class RelayHealth extends EventEmitter {
  private state: RelayState = 'starting';
  private reason?: string;
  private lastContact = Date.now();
  private stalledSince?: number;
  private assigned = 0;
  private paused = false;
  private closing = false;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly name: string, private readonly logger: Logger, private readonly liveness: Liveness = DEFAULT_LIVENESS) {
    super();
    this.timer = setInterval(() => this.watch(), Math.min(1000, liveness.stallMs / 2));
    this.timer.unref();
  }

  get healthy(): boolean {
    return HEALTHY.has(this.state);
  }

  get failure(): string | undefined {
    return this.state === 'failed' ? this.reason : undefined;
  }

  snapshot(): HealthSnapshot {
    return { state: this.state, ...(this.reason ? { reason: this.reason } : {}), assignedPartitions: this.assigned, lastContactMsAgo: Date.now() - this.lastContact };
  }

  /** For good: the consumer stops taking messages, the command exits 3. Emits 'failed' once. */
  fail(reason: string): void {
    if (this.state === 'failed' || this.closing) return;
    this.set('failed', reason);
    this.logger.error('relay failed', { relay: this.name, reason });
    this.emit('failed', reason);
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    this.contact();
  }

  /** close() began: disconnects from here on are ours, not failures. */
  stopping(): void {
    this.closing = true;
    clearInterval(this.timer);
    if (this.state !== 'failed') this.set('stopped');
  }

  watch(): void {
    if (this.state === 'failed' || this.closing) return;
    const silent = Date.now() - this.lastContact;
    if (silent < this.liveness.stallMs) return;
    this.stalledSince ??= Date.now();
    if (this.state !== 'stalled') {
      this.set('stalled', `no fetch, heartbeat or join answered by the broker for ${Math.round(silent / 1000)} s`);
      this.logger.warn('relay stalled', { relay: this.name, silentMs: silent });
    }
    if (Date.now() - this.stalledSince >= this.liveness.failAfterMs) this.fail(`stalled for ${Math.round((Date.now() - this.stalledSince) / 1000)} s: ${this.reason}`);
  }

  /** Wires the consumer's and producer's events. The admin looks at the group after each join. */
  attach(consumer: Consumer, producer: Producer, admin: () => Admin, groupId: string): void {
    const ev = consumer.events;
    consumer.on(ev.FETCH, () => this.contact());
    consumer.on(ev.HEARTBEAT, () => this.contact());
    consumer.on(ev.REBALANCING, () => this.contact());
    consumer.on(ev.GROUP_JOIN, (e) => {
      this.assigned = Object.values(e.payload.memberAssignment).reduce((n, ps) => n + ps.length, 0);
      this.contact();
      void this.checkMembers(admin, groupId, e.payload.memberId);
    });
    let restarting = false;
    consumer.on(ev.CRASH, (e) => {
      // kafkajs restarts the consumer after a retriable crash: stalled until it fetches again.
      restarting = e.payload.restart;
      if (restarting) this.set('stalled', `consumer restarting after: ${messageOf(e.payload.error)}`);
      else this.fail(`consumer crashed: ${messageOf(e.payload.error)}`);
    });
    // kafkajs disconnects before it reports a crash (and a restart); a disconnect with no crash report
    // after it is a consumer that is gone for good.
    consumer.on(ev.DISCONNECT, () => {
      restarting = false;
      setTimeout(() => {
        if (!restarting) this.fail('consumer disconnected');
      }, 2000).unref();
    });
    producer.on(producer.events.DISCONNECT, () => this.fail('producer disconnected'));
  }

  private contact(): void {
    this.lastContact = Date.now();
    this.stalledSince = undefined;
    if (this.state === 'failed' || this.closing) return;
    const next: RelayState = this.paused ? 'paused' : this.assigned === 0 ? 'idle' : 'relaying';
    if (next !== this.state) this.set(next, next === 'idle' ? 'no source partition assigned to this member (more members than partitions?)' : undefined);
  }

  /** A member this relay did not start (another client id) takes partitions, hence messages, away. */
  private async checkMembers(admin: () => Admin, groupId: string, memberId: string): Promise<void> {
    const a = admin();
    try {
      await a.connect();
      const group = (await a.describeGroups([groupId])).groups[0];
      const self = group?.members.find((m) => m.memberId === memberId);
      const foreign = (group?.members ?? []).filter((m) => self && m.clientId !== self.clientId);
      if (foreign.length > 0) {
        this.fail(`group ${groupId} has members this relay did not start (${foreign.map((m) => `${m.clientId}@${m.clientHost}`).join(', ')}): they take messages away; use a group of its own`);
      }
    } catch (err) {
      this.logger.warn('relay: group members unreadable', { relay: this.name, groupId, error: messageOf(err) });
    } finally {
      await a.disconnect().catch(() => undefined);
    }
  }

  private set(state: RelayState, reason?: string): void {
    this.state = state;
    this.reason = reason;
  }
}
