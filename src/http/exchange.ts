// One matched client request and what doubletap knows about it: identity, the decision, the body it
// kept (picked requests only, up to the cap) and the original's answer (status + body hash).
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FaultDriver } from '../faults';
import type { HttpFault } from '../scenario/schema-http';
import { AnswerReader } from './answer-reader';
import type { AttemptResult } from './classify';
import type { CompiledRule } from './match';

export interface Picked {
  fault: HttpFault;
  driver: FaultDriver;
  delaysMs: number[];
}

export type BodyFailure = 'body-too-large' | 'client-aborted';

export class Exchange {
  readonly startedMs = performance.now();
  picked: Picked | undefined;
  /** Why a matching request was not duplicated (journal `reason`), when it was not. */
  reason: string | undefined;
  dryRun = false;
  /** The fault the decision picked (also set in dry-run, where nothing is applied). */
  faultKind: string | undefined;
  /** Headers as the upstream saw them (after hop-by-hop stripping, with X-Forwarded-*). */
  headers: Record<string, string | string[] | undefined> = {};
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
  /** Exchange-level reasons already counted in http_not_duplicated_total (once per original). */
  private counted: Set<string> | undefined;
  // Promises only for the picked few: an unpicked request must not pay for them on the hot path.
  private body$: Deferred<Buffer | undefined> | undefined;
  private response$: Deferred<AttemptResult | undefined> | undefined;
  private chunks: Buffer[] = [];
  private size = 0;

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
    readonly identity: string,
  ) {}

  /** Resolves when the picked request's body is buffered (or could not be: undefined). */
  get bodyReady(): Promise<Buffer | undefined> {
    return (this.body$ ??= new Deferred()).promise;
  }

  /** Resolves when the original's response is known (the result, or undefined when there was none). */
  get responded(): Promise<AttemptResult | undefined> {
    return (this.response$ ??= new Deferred()).promise;
  }

  private resolveBody(body: Buffer | undefined): void {
    (this.body$ ??= new Deferred()).resolve(body);
  }

  /**
   * Tee the request body: the original keeps streaming to the upstream through http-proxy's pipe; we
   * keep a copy up to maxBytes. Past the cap we drop what we kept and only watch the rest go by.
   */
  teeBody(req: IncomingMessage, maxBytes: number): void {
    req.on('data', (chunk: Buffer) => {
      if (this.bodyFailure !== undefined) return;
      this.size += chunk.length;
      if (this.size > maxBytes) {
        this.chunks = [];
        this.failBody('body-too-large');
      } else this.chunks.push(chunk);
    });
    req.on('end', () => {
      if (this.bodyFailure !== undefined) return;
      const body = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
      this.chunks = [];
      this.body = body;
      this.bodySha256 = createHash('sha256').update(body).digest('hex');
      this.resolveBody(body);
    });
    req.on('close', () => {
      if (this.body === undefined && this.bodyFailure === undefined) this.failBody('client-aborted');
    });
  }

  /** A request picked for a fault without copies: the body is not needed. */
  noBody(): void {
    this.resolveBody(undefined);
  }

  private failBody(reason: BodyFailure): void {
    this.bodyFailure = reason;
    this.resolveBody(undefined);
  }

  /** Hash the original's response as it streams to the client (or to nowhere, for lost-reply). */
  hashResponse(res: IncomingMessage, onChunk?: (chunk: Buffer) => void): void {
    const reader = new AnswerReader(this.rule.rule.responseId);
    let ended = false;
    res.on('data', (chunk: Buffer) => {
      reader.update(chunk);
      onChunk?.(chunk);
    });
    res.on('end', () => {
      ended = true;
      // The original itself can be the replay, when a burst copy overtook it and did the work.
      this.respond(reader.finish(res.statusCode, res.headers['idempotent-replayed']));
    });
    res.on('close', () => {
      // The response was cut short: the status is known, the body is not comparable.
      if (!ended) this.respond({ status: res.statusCode, error: 'response cut short' });
    });
  }

  respond(result: AttemptResult | undefined): void {
    if (this.original !== undefined) return;
    this.original = result ?? { error: 'no response' };
    (this.response$ ??= new Deferred()).resolve(result);
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

/** A promise with its resolver, made on first use; resolving twice keeps the first value. */
class Deferred<T> {
  readonly promise: Promise<T>;
  resolve!: (value: T) => void;
  constructor() {
    this.promise = new Promise<T>((r) => (this.resolve = r));
  }
}
