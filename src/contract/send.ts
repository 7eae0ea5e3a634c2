// Sends one planned request with (or without) the key and reduces the answer to what the checks compare:
// status, the replay header, the resource identity and canonical JSON. Bodies are never logged.
import { messageOf } from '../errors';
import { canonicalJson, responseIdentity } from './response-identity';
import type { Answer, PlannedRequest } from './types';

export interface SendOptions {
  method: string;
  keyHeader: string;
  timeoutMs: number;
  /** JSON pointer of the identity in answers (default: id / *_id). */
  identityPointer?: string;
}

export async function send(req: PlannedRequest, key: string | undefined, o: SendOptions): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  if (key !== undefined) headers[o.keyHeader] = key;
  try {
    const res = await fetch(req.url, {
      method: o.method,
      headers,
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: AbortSignal.timeout(o.timeoutMs),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: compared as text, no identity
    }
    return {
      status: res.status,
      replayedHeader: res.headers.get('idempotent-replayed')?.toLowerCase() === 'true',
      identity: responseIdentity(body, o.identityPointer),
      canonical: canonicalJson(body),
    };
  } catch (err) {
    return { status: 0, replayedHeader: false, canonical: '', error: fetchFailure(err) };
  }
}

/** fetch says only "fetch failed": the cause has the useful part (ECONNREFUSED, bad port, timeout). */
export function fetchFailure(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? messageOf(err);
}
