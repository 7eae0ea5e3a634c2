// The journal line (contract): one JSON object per attempt. Never bodies or secrets.

export const OUTCOMES = ['replayed', 'conflict', 'rejected', 're-executed', 'wrong-replay', 'error', 'cancelled'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface JournalEntry {
  ts: string;
  /** original/copy: one attempt. link: a link cut window ended. redeliver: a forced consumer redelivery. */
  kind: 'original' | 'copy' | 'link' | 'redeliver';
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
  durationMs?: number;
  /** Why an original was not duplicated (not picked is left out). */
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
}
