// verdict.json (contract) and the timeline line: what the runner writes and the report reads.
import type { Outcome } from '../journal/types';
import type { ForcedRedeliveries, LinkWindowSummary } from './infra-faults';
import type { StoreDownResult } from './store-down';
import type { RuleEvidence } from './evidence';

export type VerdictStatus = 'pass' | 'fail' | 'aborted' | 'inconclusive';

export interface ProbeReading {
  before: number | null;
  after: number | null;
  delta: number | null;
  error?: string;
  /** 'dedup' marks a counter of absorbed duplicates (e.g. idempotency hits); the report charts it apart. */
  role?: 'side-effect' | 'dedup';
  /** A keyed probe: read once after settle for this many of the rule's keys ("before" is 0). */
  keyed?: { rule: string; of: 'ops' | 'picked'; keys: number };
}

export interface InvariantResult {
  name: string;
  ok: boolean;
  /** What the expression evaluated to (the bound for grows_at_least / grows_at_most). */
  expected: number | null;
  actual: number | null;
  detail: string;
  /** The probe did not move at all while the operations it should count succeeded: it does not watch
   * them (wrong table, filter or database), so a violated bound here is no evidence either way. */
  blind?: boolean;
}

/** A copy the books show was executed again, named from the journal. */
export interface LeakedCopy {
  rule: string;
  fault?: string;
  key?: string;
  id: string;
  of?: string;
  outcome: Outcome;
  status?: number;
}

export interface RuleSummary {
  originals: number;
  ops: number;
  copies: number;
  byFault: Record<string, Partial<Record<Outcome, number>>>;
}

export interface Verdict {
  scenario: string;
  status: VerdictStatus;
  seed: number;
  startedAt: string;
  endedAt: string;
  reason?: string;
  dryRun?: boolean;
  environment?: string;
  http: { originals: number; copies: number; outcomes: Record<Outcome, number> };
  kafka: { originals: number; copies: number; redeliveries?: number; forcedRedeliveries?: ForcedRedeliveries };
  rules: Record<string, RuleSummary>;
  probes: Record<string, ProbeReading>;
  invariants: InvariantResult[];
  leaked: LeakedCopy[];
  /** How many leaked copies the journal shows in all (`leaked` is capped). */
  leakedTotal?: number;
  /** Per rule/relay: what the service did while a link was cut (src/reconcile/store-down.ts). */
  storeDown?: Record<string, StoreDownResult>;
  /** Link cut windows as they happened (`links:`). */
  linkWindows?: LinkWindowSummary[];
  /** What backs the verdict, per rule and relay (docs/verdict.md). */
  evidence?: Record<string, RuleEvidence>;
  /** Whether the settle phase drained and the books stopped moving before the "after" snapshot. */
  settle?: SettleResult;
}

export interface SettleResult {
  drained: boolean;
  /** Originals and copies of the window still in flight when the "after" snapshot was taken. */
  pending: number;
  /** Probes whose readings were still moving at the end of settle. */
  unstable: string[];
}

/** One line of timeline.jsonl, sampled every `timeline.interval` during baseline, chaos and settle. */
export interface TimelinePoint {
  ts: string;
  /** Seconds since the run started. */
  t: number;
  phase: 'baseline' | 'chaos' | 'settle';
  /** Probe values; null when a read failed. */
  probes: Record<string, number | null>;
  /** doubletap's own cumulative counts. */
  originals: number;
  copies: number;
  outcomes: Record<Outcome, number>;
}
