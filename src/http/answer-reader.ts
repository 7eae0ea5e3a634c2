// Reads one HTTP answer as it streams by: the resource identity from the first IDENTITY_BYTES (bodies
// are parsed here and dropped; never kept, logged or journaled). No hash of the answer: equal bytes
// prove nothing (docs/verdict.md), nothing read one, and it cost a SHA-256 per copy and per original.
import type { Answer } from '../faults';
import { isSuccess } from '../faults/answer';
import { RequestEchoes, responseIdentity } from './response-identity';

/** Identity answers are small; a bigger body is not parsed (no identity: the books decide). */
export const IDENTITY_BYTES = 64 * 1024;

export class AnswerReader {
  private chunks: Buffer[] | undefined = [];
  private size = 0;

  /** `pointer`: the rule's JSON pointer to the identity; undefined picks `id`/`*_id` automatically. */
  constructor(private readonly pointer?: string) {}

  update(chunk: Buffer): void {
    if (this.chunks === undefined) return;
    this.size += chunk.length;
    if (this.size > IDENTITY_BYTES) this.chunks = undefined;
    else this.chunks.push(chunk);
  }

  /**
   * `replayed`: the answer's Idempotent-Replayed header as node:http shows it (repeats joined).
   * `request`: what was sent (body and key); an id that only repeats it is no identity.
   */
  finish(status: number | undefined, replayed: string | string[] | undefined, request?: { body?: Buffer; key?: string }): Answer {
    const answer: Answer = { status };
    if (String(replayed).toLowerCase() === 'true') answer.replayedHeader = true;
    if (this.chunks !== undefined && isSuccess(status)) {
      const echoes = request && (() => RequestEchoes.of(request.body, request.key));
      const id = responseIdentity(Buffer.concat(this.chunks), this.pointer, echoes);
      if (id?.value !== undefined) {
        answer.identity = id.value;
        answer.identitySource = id.source;
      } else if (id?.echoed) answer.identityEcho = true;
    }
    this.chunks = undefined;
    return answer;
  }
}
