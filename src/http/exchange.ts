// One matched client request and what doubletap knows about it: identity, the decision, the body it
// kept (picked requests only, up to the cap) and the original's answer (what judging a copy reads).
// A picked exchange lives as long as its copies wait (seconds to minutes, thousands at once): it keeps
// no callback, closure or buffer list once the body and the answer are in. Waiting is by callback
// (whenResponded), not by promise: a picked original made four promises and two microtasks.
import { hash } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { PendingHold } from '../chaos/pending-bytes';
import type { FaultDriver } from '../faults';
import type { HttpFault } from '../scenario/schema-http';
import { AnswerReader } from './answer-reader';
import type { AnswerWatcher, BodyWatcher, UpstreamAnswer } from './forward';
import { shareHeaderValue } from './shared-values';
import type { AttemptResult } from './classify';
import type { CompiledRule } from './match';

export interface Picked {
  fault: HttpFault;
  driver: FaultDriver;
}

export type BodyFailure = 'body-too-large' | 'client-aborted';

/** Until keepHeaders (picked requests only): one shared empty object, not one per request. */
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

export class Exchange implements PendingHold, BodyWatcher {
  readonly startedMs = performance.now();
  picked: Picked | undefined;
  /** Why a matching request was not duplicated (journal `reason`), when it was not. */
  reason: string | undefined;
  dryRun = false;
  /** The fault the decision picked (also set in dry-run, where nothing is applied). */
  faultKind: string | undefined;
  /** Headers as the upstream saw them (after hop-by-hop stripping, with X-Forwarded-*; see keepHeaders). */
  headers: Readonly<Record<string, string | string[] | undefined>> = NO_HEADERS;
  body: Buffer | undefined;
  bodySha256: string | undefined;
  bodyFailure: BodyFailure | undefined;
  original: AttemptResult | undefined;
  journaled = false;
  /** Started inside the counting window: its original counts as an operation. */
  inWindow = false;
  /** The answer copies are compared with when the original did not succeed: the first copy that did
   * the operation's one execution (a burst copy that overtook the original). */
  standIn: AttemptResult | undefined;
  /** Body bytes reserved for pending copies, and how many of them are not done (chaos/pending-bytes.ts). */
  heldBytes = 0;
  heldCopies = 0;
  /** Exchange-level reasons already counted in http_not_duplicated_total (once per original). */
  private counted: Set<string> | undefined;
  /** The body is known (kept, or failed: undefined). */
  private bodyDone = false;
  // Callbacks only while someone waits: an unpicked request must not pay for them on the hot path, and
  // a pending copy must not keep them (with their closures) once they are called.
  private bodyWaiters: Array<(body: Buffer | undefined) => void> | undefined;
  private responseWaiters: Array<(original: AttemptResult) => void> | undefined;

  constructor(
    readonly id: string,
    readonly rule: CompiledRule,
    readonly method: string,
    /** Request target as sent (path + query): copies use it. */
    readonly url: string,
    /** Path without the query: journal and rules use it. */
    readonly path: string,
    /** The identity header's value; undefined when the request had none (identity is a sequence). */
    readonly key: string | undefined,
  ) {}

  /** Resolves when the picked request's body is buffered (or could not be: undefined). */
  get bodyReady(): Promise<Buffer | undefined> {
    if (this.bodyDone) return Promise.resolve(this.body);
    return new Promise((resolve) => (this.bodyWaiters ??= []).push(resolve));
  }

  /** Resolves when the original's response is known (`original`: the result, or `{ error: 'no response' }`). */
  get responded(): Promise<AttemptResult> {
    if (this.original !== undefined) return Promise.resolve(this.original);
    return new Promise((resolve) => this.whenResponded(resolve));
  }

  /**
   * `then` once the original's response is known: at once if it is, else from respond(), in the order
   * registered. The hot paths' form of `responded` (no promise, no microtask). `then` must not throw.
   */
  whenResponded(then: (original: AttemptResult) => void): void {
    if (this.original !== undefined) then(this.original);
    else (this.responseWaiters ??= []).push(then);
  }

  /** The first value wins. */
  private resolveBody(body: Buffer | undefined): void {
    if (this.bodyDone) return;
    this.bodyDone = true;
    const waiting = this.bodyWaiters;
    this.bodyWaiters = undefined;
    if (waiting !== undefined) for (const resolve of waiting) resolve(body);
  }

  /**
   * Keep the headers as the upstream saw them, right after the forward path sent them: a copy (the request's
   * own object is a slow dictionary after hop-by-hop deletes, four times the size, and gets its
   * Connection field back). Repeated values are swapped for one shared string of the same content.
   */
  keepHeaders(h: IncomingHttpHeaders): void {
    const kept: Record<string, string | string[] | undefined> = {};
    for (const name of Object.keys(h)) {
      const v = h[name];
      kept[name] = typeof v === 'string' ? shareHeaderValue(name, v) : v;
    }
    this.headers = kept;
  }

  /**
   * Tee the request body: the original keeps streaming to the upstream through the forward path; we
   * keep a copy up to maxBytes. Past the cap we drop what we kept and only watch the rest go by.
   */
  teeBody(req: IncomingMessage, maxBytes: number): void {
    // In the listeners' scope, not on the exchange: gone with the request once the body is in.
    let chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (this.bodyFailure !== undefined) return;
      size += chunk.length;
      if (size > maxBytes) {
        chunks = [];
        this.failBody('body-too-large');
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (this.bodyFailure !== undefined) return;
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      chunks = [];
      this.bodyIn(body);
    });
    req.on('close', () => this.bodyAborted());
  }

  /** The whole body (from the tee, or from the forward path that collected it: BodyWatcher). */
  bodyIn(body: Buffer): void {
    if (this.bodyFailure !== undefined || this.bodyDone) return;
    this.body = body;
    // One-shot: no Hash object per picked request (half the time of createHash for a 200-byte body).
    this.bodySha256 = hash('sha256', body, 'hex');
    this.resolveBody(body);
  }

  /** The client left before its body was in. */
  bodyAborted(): void {
    if (this.body === undefined && this.bodyFailure === undefined) this.failBody('client-aborted');
  }

  /** A request picked for a fault without copies: the body is not needed. */
  noBody(): void {
    this.resolveBody(undefined);
  }

  failBody(reason: BodyFailure): void {
    this.bodyFailure = reason;
    this.resolveBody(undefined);
  }

  /** Read the original's answer (status, replay header, identity) as it streams to the client (or to nowhere, for lost-reply). */
  readAnswer(res: UpstreamAnswer, onChunk?: (chunk: Buffer) => void): void {
    const watch = new AnswerWatch(this, res, new AnswerReader(this.rule.rule.responseId), onChunk);
    if (res.watch?.(watch)) return;
    res.on('data', (chunk: Buffer) => watch.answerData(chunk));
    res.on('end', () => watch.answerEnd());
    res.on('close', () => watch.answerClose());
  }

  respond(result: AttemptResult | undefined): void {
    if (this.original !== undefined) return;
    const original = (this.original = result ?? { error: 'no response' });
    const waiting = this.responseWaiters;
    this.responseWaiters = undefined;
    if (waiting !== undefined) for (const then of waiting) then(original);
  }

  /** True the first time a reason is noted for this original, so it is counted once. */
  firstTime(reason: string): boolean {
    this.counted ??= new Set();
    if (this.counted.has(reason)) return false;
    this.counted.add(reason);
    return true;
  }

  durationMs(): number {
    return Math.round((performance.now() - this.startedMs) * 1000) / 1000;
  }
}

/** One original's answer read as it streams by (to the client, or to nowhere for lost-reply). */
class AnswerWatch implements AnswerWatcher {
  private ended = false;

  constructor(
    private readonly ex: Exchange,
    private readonly res: UpstreamAnswer,
    private readonly reader: AnswerReader,
    private readonly onChunk: ((chunk: Buffer) => void) | undefined,
  ) {}

  answerData(chunk: Buffer): void {
    this.reader.update(chunk);
    this.onChunk?.(chunk);
  }

  answerEnd(): void {
    this.ended = true;
    const { ex, res } = this;
    // The original itself can be the replay, when a burst copy overtook it and did the work.
    // Kept for as long as copies wait: only what judging a copy reads (no hash, no identity source).
    const a = this.reader.finish(res.statusCode, res.headers['idempotent-replayed'], { body: ex.body, key: ex.key });
    ex.respond({ status: a.status, replayedHeader: a.replayedHeader, identity: a.identity });
  }

  answerClose(): void {
    // The response was cut short: the status is known, the body is not comparable.
    if (!this.ended) this.ex.respond({ status: this.res.statusCode, error: 'response cut short' });
  }
}
