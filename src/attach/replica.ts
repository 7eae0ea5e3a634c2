// One standing proxy seen from the arming run: arm, renew, settle, disarm, its state and its journal
// pages. Every call goes through the control API client (token, timeouts, errors naming the address).
import { callControl } from '../control/client';
import type { ArmBody } from '../control/arming-routes';
import type { JournalEntry } from '../journal/types';
import type { UpstreamCounts } from '../stop/types';

export interface ReplicaState {
  replica: string;
  proxy: string;
  armed: { runId: string } | null;
  pending: number;
  counts: UpstreamCounts;
}

export class Replica {
  /** Next journal line to collect (lines before it were merged into the run's journal). */
  next = 0;
  name: string;
  last: ReplicaState | undefined;
  /** Lines the replica could not keep for us (its buffer was full between two collections). */
  dropped = 0;

  constructor(readonly control: URL, private readonly token: string | undefined, readonly runId: string, index: number) {
    this.name = `p${index + 1}`;
  }

  private post(route: string, body: unknown): Promise<ReplicaState> {
    return callControl(this.control, route, { method: 'POST', token: this.token, body, timeoutMs: 5000 }) as Promise<ReplicaState>;
  }

  async arm(body: Omit<ArmBody, 'runId'>): Promise<ReplicaState> {
    this.last = await this.post('/arm', { ...body, runId: this.runId });
    // The replica's own name wins when it has one; ids are made unique per replica with it.
    this.name = this.last.replica || this.name;
    return this.last;
  }

  renew(leaseMs: number): Promise<ReplicaState> {
    return this.post('/arm/renew', { runId: this.runId, lease: leaseMs });
  }

  settle(): Promise<ReplicaState> {
    return this.post('/arm/settle', { runId: this.runId });
  }

  disarm(reason: string): Promise<ReplicaState> {
    return this.post('/disarm', { runId: this.runId, reason: reason.slice(0, 500) });
  }

  async state(): Promise<ReplicaState> {
    this.last = (await callControl(this.control, '/arming', { token: this.token, timeoutMs: 5000 })) as ReplicaState;
    return this.last;
  }

  /** One page of journal lines from `next` on; asking for them acknowledges the previous page. */
  async page(): Promise<{ lines: JournalEntry[]; recording: boolean; dropped: number }> {
    const route = `/arming/journal?run=${encodeURIComponent(this.runId)}&from=${this.next}`;
    const p = (await callControl(this.control, route, { token: this.token, timeoutMs: 10_000 })) as { lines: JournalEntry[]; next: number; recording: boolean; dropped: number };
    this.next = p.next;
    this.dropped = p.dropped;
    return p;
  }
}
