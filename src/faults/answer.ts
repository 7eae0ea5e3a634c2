// What a fault judges: one HTTP answer, reduced to what proves something. No bodies are kept: only the
// status, the replay header, and the resource identity read from the body (src/http/response-identity.ts).
import type { Outcome } from '../journal/types';

export interface Answer {
  status?: number;
  /** The response carried `Idempotent-Replayed: true`. */
  replayedHeader?: boolean;
  /** Canonical JSON of the resource identity (`id`, `*_id`, or the rule's pointer); undefined: none. */
  identity?: string;
  /** Where the identity was read (`/id`, `/order_id`). */
  identitySource?: string;
  /** The answer's only id fields repeat the request (a client-chosen id, the key): no identity. */
  identityEcho?: boolean;
  /** Timeout, connection error, reset. */
  error?: string;
}

/** How a verdict-bearing outcome was established (journal `verifiedBy`). */
export type VerifiedBy = 'header' | 'identity' | 'status';


export interface Judgement {
  outcome: Outcome;
  verifiedBy?: VerifiedBy;
}

export const isSuccess = (status: number | undefined): boolean => status !== undefined && status >= 200 && status < 300;
export const isRefusal = (status: number | undefined): boolean => status !== undefined && status >= 400 && status < 500;

/** 'same' / 'different' when both answers name a resource; undefined when either does not. */
export function compareIdentity(copy: Answer, reference: Answer | undefined): 'same' | 'different' | undefined {
  if (copy.identity === undefined || reference?.identity === undefined) return undefined;
  return copy.identity === reference.identity ? 'same' : 'different';
}

/**
 * The duplicate of a write (replay, burst): the right answer is the stored response (header, or the
 * same resource) or a refusal of the duplicate. A different resource is a second execution; a success
 * that names nothing (204, a constant ack) proves nothing either way: only the books can decide it.
 * A refusal counts only when the reference succeeded: a service that refuses everything (401) has
 * refused nothing in particular.
 */
export function judgeDuplicate(copy: Answer, reference: Answer | undefined): Judgement {
  const status = copy.status;
  if (status === 409) return { outcome: 'conflict', verifiedBy: 'status' };
  if (isSuccess(status)) {
    const same = compareIdentity(copy, reference);
    if (same === 'different') return { outcome: 're-executed', verifiedBy: 'identity' };
    if (copy.replayedHeader) return { outcome: 'replayed', verifiedBy: 'header' };
    if (same === 'same') return { outcome: 'replayed', verifiedBy: 'identity' };
    return { outcome: 'unverified' };
  }
  if (isRefusal(status) && isSuccess(reference?.status)) return { outcome: 'rejected', verifiedBy: 'status' };
  return { outcome: 'unverified' };
}
