// Reads one HTTP answer as it streams by: a sha256 of the whole body, and the resource identity from
// the first IDENTITY_BYTES (bodies are parsed here and dropped; never kept, logged or journaled).
import { createHash, type Hash } from 'node:crypto';
import type { Answer } from '../faults';
import { responseIdentity } from './response-identity';

/** Identity answers are small; a bigger body is hashed but not parsed (no identity: books decide). */
export const IDENTITY_BYTES = 64 * 1024;

export class AnswerReader {
  private readonly hash: Hash = createHash('sha256');
  private chunks: Buffer[] | undefined = [];
  private size = 0;

  /** `pointer`: the rule's JSON pointer to the identity; undefined picks `id`/`*_id` automatically. */
  constructor(private readonly pointer?: string) {}

  update(chunk: Buffer): void {
    this.hash.update(chunk);
    if (this.chunks === undefined) return;
    this.size += chunk.length;
    if (this.size > IDENTITY_BYTES) this.chunks = undefined;
    else this.chunks.push(chunk);
  }

  /** `replayed`: the answer's Idempotent-Replayed header as node:http shows it (repeats joined). */
  finish(status: number | undefined, replayed: string | string[] | undefined): Answer {
    const answer: Answer = { status, bodySha256: this.hash.digest('hex') };
    if (String(replayed).toLowerCase() === 'true') answer.replayedHeader = true;
    if (this.chunks !== undefined && status !== undefined && status >= 200 && status < 300) {
      const id = responseIdentity(Buffer.concat(this.chunks), this.pointer);
      if (id) {
        answer.identity = id.value;
        answer.identitySource = id.source;
      }
    }
    this.chunks = undefined;
    return answer;
  }
}
