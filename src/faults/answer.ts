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

/**
 * 'same' / 'different' when both answers name a resource; undefined when either does not. Identities
 * made of several id fields are compared on the fields both name: a replay that stored a trimmed answer
 * (`{"order_id":5}` for `{"order_id":5,"payment_id":9}`) names the same order, while any shared field
 * with another value is another resource. With no field in common nothing can be said.
 */
export function compareIdentity(copy: Answer, reference: Answer | undefined): 'same' | 'different' | undefined {
  if (copy.identity === undefined || reference?.identity === undefined) return undefined;
  if (copy.identity === reference.identity) return 'same';
  const a = fieldsOf(copy.identity);
  const b = fieldsOf(reference.identity);
  if (a === undefined || b === undefined) return 'different';
  const shared = Object.keys(a).filter((k) => k in b);
  if (shared.length === 0) return undefined;
  return shared.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k])) ? 'same' : 'different';
}

/** The fields of an identity that is a JSON object (canonical, so equal values stringify alike). */
function fieldsOf(identity: string): Record<string, unknown> | undefined {
  if (!identity.startsWith('{')) return undefined;
  try {
    return JSON.parse(identity) as Record<string, unknown>;
  } catch {
    return undefined;
  }
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
