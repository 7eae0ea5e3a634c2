// lost-reply: the original reaches the upstream and commits, but the client gets a 502/503/504 (or a
// reset connection) instead. doubletap sends no copy: the client's own retry is the duplicate, and
// only the books can judge it.
import type { FaultDriver } from './types';

export const lostReply: FaultDriver<'lost-reply'> = {
  kind: 'lost-reply',
  clock: 'none',
  shape: () => ({ skip: 'lost-reply sends no copy' }),
  judge: () => ({ outcome: 'unverified' }),
};

const REASONS: Record<number, string> = { 502: 'bad gateway', 503: 'service unavailable', 504: 'gateway timeout' };

/** The body the client gets instead of the real response: what a gateway would say, nothing more. */
export function lostReplyBody(status: number): string {
  return JSON.stringify({ error: REASONS[status] ?? 'bad gateway' });
}
