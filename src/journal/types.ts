// The journal line (contract): one JSON object per attempt. Never bodies or secrets.

export const OUTCOMES = ['replayed', 'conflict', 'rejected', 're-executed', 'wrong-replay', 'unverified', 'error', 'cancelled'] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** Outcomes that decide something on their own; `unverified` needs the books, error/cancelled decide nothing. */
export const POSITIVE: readonly Outcome[] = ['replayed', 'conflict', 'rejected'];
export const LEAKING: readonly Outcome[] = ['re-executed', 'wrong-replay'];

/** Audit events of gated and armed runs: who allowed what, and how it ended. */
export const AUDIT_EVENTS = ['gate', 'arm', 'disarm', 'halt', 'stop', 'end'] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

export interface JournalEntry {
  ts: string;
  /** original/copy: one attempt. link: a link cut window ended. redeliver: a forced consumer redelivery.
   * audit: gate, arm, disarm, halt, stop, end. Only original/copy lines carry a rule or relay: counts and
   * invariants never see the others. */
  kind: 'original' | 'copy' | 'link' | 'redeliver' | 'audit';
  id: string;
  /** The original's id, for a copy. */
  of?: string;
  rule?: string;
  fault?: string;
  method?: string;
  path?: string;
  /** The identity (Idempotency-Key or message id); a client-chosen id, not a secret. */
  key?: string;
  bodySha256?: string;
  delayMs?: number;
  status?: number;
  outcome?: Outcome;
  /** How a verdict-bearing outcome was established: the replay header, the resource identity, the status. */
  verifiedBy?: 'header' | 'identity' | 'status';
  /** Why a copy was judged without the answers' resource identity: it only repeated the request
   * (`echo`), or the rule's answers named one identity for two operations (`repeats`): no resource id. */
  identityIgnored?: 'echo' | 'repeats';
  /** A copy that did the operation's one execution because its original did not succeed (burst won the race). */
  firstExecution?: boolean;
  durationMs?: number;
  /** Why an original was not duplicated (not picked is left out); for a copy line without an outcome,
   * why the planned copy was not sent (budget, body not JSON, original failed). */
  reason?: string;
  /** What the client got when it differs from the upstream's answer (lost-reply). */
  clientStatus?: number;
  error?: string;
  dryRun?: boolean;
  // Kafka
  relay?: string;
  topic?: string;
  partition?: number;
  offset?: string;
  messageId?: string;
  redelivery?: boolean;
  // Link windows (src/links) and forced redeliveries (src/kafka/redeliver.ts)
  link?: string;
  window?: number;
  mode?: string;
  start?: string;
  end?: string;
  connections?: number;
  cutShort?: string;
  group?: string;
  /** A forced redelivery: per partition, the offsets the group re-reads [from, to) and how many. */
  partitions?: { partition: number; from: string; to: string; count: number }[];
  count?: number;
  /** Written by a restarted relay for an original its killed predecessor produced but never journaled. */
  recovered?: boolean;
  /** The topic a message the destination refused went to instead (its `error` says why). */
  deadLetter?: string;
  // Audit
  event?: AuditEvent;
  /** The approval's name (never a token). */
  who?: string;
  decision?: 'allowed' | 'refused';
  reasons?: string[];
  scenarioSha256?: string;
  detail?: string;
  /** Which standing proxy (replica) wrote the line, in a merged journal. */
  replica?: string;
}
