// Copy outcome classification (contract outcomes). Pure: hashes and statuses in, one outcome out.
// Compare only once both the copy and the original are done: a burst copy can finish first.
import type { Outcome } from '../journal/types';
import type { HttpFaultKind } from '../scenario/schema-http';

export interface AttemptResult {
  status?: number;
  /** sha256 of the response body (hex); undefined when the body was not read completely. */
  bodySha256?: string;
  /** The response carried `Idempotent-Replayed: true`. */
  replayedHeader?: boolean;
  /** Timeout, connection error, reset. */
  error?: string;
}

function sameAsOriginal(copy: AttemptResult, original: AttemptResult | undefined): boolean {
  if (copy.replayedHeader) return true;
  return (
    original !== undefined &&
    original.status === copy.status &&
    original.bodySha256 !== undefined &&
    original.bodySha256 === copy.bodySha256
  );
}

/** 4xx answers that are the right refusal for the fault. */
function expectedRejection(fault: HttpFaultKind, status: number): boolean {
  if (fault === 'key-reuse') return status === 422 || status === 400;
  if (fault === 'strip-key') return status === 400;
  return status >= 400 && status < 500 && status !== 409;
}

export function classify(fault: HttpFaultKind, copy: AttemptResult, original: AttemptResult | undefined): Outcome {
  const status = copy.status;
  if (copy.error !== undefined || status === undefined || status >= 500) return 'error';
  if (status === 409) return 'conflict';
  if (fault === 'key-reuse') {
    if (expectedRejection(fault, status)) return 'rejected';
    if (sameAsOriginal(copy, original)) return 'wrong-replay';
    return status >= 200 && status < 300 ? 're-executed' : 'error';
  }
  if (sameAsOriginal(copy, original)) return 'replayed';
  if (expectedRejection(fault, status)) return 'rejected';
  // A 2xx that differs from the original: the write ran again. Anything else is unexpected.
  return status >= 200 && status < 300 ? 're-executed' : 'error';
}
