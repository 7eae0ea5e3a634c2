// Sends one planned request with (or without) the key and reduces the answer to what the checks compare:
// status, the replay header, the resource identity and canonical JSON. Bodies are never logged.
import { messageOf } from '../errors';
import { canonicalJson, RequestEchoes, responseIdentity, type ResponseIdentity } from '../http/response-identity';
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
  const sent = req.body === undefined ? undefined : JSON.stringify(req.body);
  try {
    const res = await fetch(req.url, {
      method: o.method,
      headers,
      body: sent,
      signal: AbortSignal.timeout(o.timeoutMs),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: compared as text, no identity
    }
    const id = responseIdentity(body, o.identityPointer, () => RequestEchoes.of(sent === undefined ? undefined : Buffer.from(sent), key));
    return {
      status: res.status,
      replayedHeader: res.headers.get('idempotent-replayed')?.toLowerCase() === 'true',
      identity: identityLabel(id, o.identityPointer),
      identityValue: id?.value,
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

/** The shared identity (src/http/response-identity) as a short label for evidence: `id=5`, `data.order_id=7`. */
export function identityLabel(id: ResponseIdentity | undefined, pointer?: string): string | undefined {
  if (id?.value === undefined) return undefined;
  if (pointer !== undefined) return `${pointer}=${id.value}`;
  const envelope = /^\/([^/,]+)\//.exec(id.source)?.[1];
  const fields = JSON.parse(id.value) as Record<string, unknown>;
  // Scalars are compared as strings (an id 5 and "5" are one resource): shown bare.
  return Object.entries(fields).map(([k, v]) => `${envelope ? `${envelope}.` : ''}${k}=${typeof v === 'string' ? v : canonicalJson(v)}`).join(',');
}
