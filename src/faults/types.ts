// The one small interface every HTTP fault implements. The framework (src/http/) applies fraction,
// weight, delays, budget and halt; a fault says when its copies start, how each copy looks, and what
// counts as the right answer to it — so a new fault is one file and one line in faults/index.ts.
import type { HttpFault, HttpFaultKind } from '../scenario/schema-http';
import type { Answer, Judgement } from './answer';

export type Headers = Record<string, string | string[] | undefined>;

/** The original as the upstream saw it (headers after hop-by-hop stripping and X-Forwarded-*). */
export interface OriginalRequest {
  headers: Readonly<Headers>;
  body: Buffer;
  /** Lower-case name of the identity header (Idempotency-Key by default). */
  identityHeader: string;
}

export interface CopyShape {
  headers: Headers;
  body: Buffer;
}

/** A copy the fault refuses to build (e.g. key-reuse on a body that is not JSON): sent as no copy. */
export interface NoCopy {
  skip: string;
}

export interface FaultDriver<K extends HttpFaultKind = HttpFaultKind> {
  readonly kind: K;
  /**
   * 'after-response': copy delays count from the end of the original's response (replay);
   * 'from-send': from when the original was sent, so copies overlap it (burst);
   * 'none': doubletap sends no copy, the client's own retry is the duplicate (lost-reply).
   */
  readonly clock: 'after-response' | 'from-send' | 'none';
  /** Build one copy; index counts from 0. Never mutates the original. */
  shape(original: OriginalRequest, fault: Extract<HttpFault, { kind: K }>, index: number): CopyShape | NoCopy;
  /**
   * What the copy's answer means for this fault. `reference` is the answer the copy is compared with:
   * the original's, or — when a copy overtook an original that did not succeed — the first copy that
   * did the operation's one execution. Errors (5xx, no answer) never reach a fault: they are `error`.
   */
  judge(copy: Answer, reference: Answer | undefined): Judgement;
}

export function isNoCopy(x: CopyShape | NoCopy): x is NoCopy {
  return (x as NoCopy).skip !== undefined;
}

/**
 * A shallow copy of the headers, so a fault can change its copy without touching the original's.
 * Object.assign, not `{ ...h }`: a field added to a spread copy (the copy's mark header) gives it a
 * hidden class of its own in Node 20's V8, one per copy (docs/benchmarks.md).
 */
export function cloneHeaders(h: Readonly<Headers>): Headers {
  return Object.assign({}, h);
}
