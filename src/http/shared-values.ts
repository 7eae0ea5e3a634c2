// Header values repeat from request to request (Host, Content-Type, the X-Forwarded-* set): a pending
// copy shares one string per value instead of holding its own (about 200 bytes per copy). Only the
// fields below, whose values are routinely the same for every request and never credentials; per-
// request values (keys, trace ids, tokens) would only churn the table. Bounded: cleared when full.

const SHARED_MAX = 512;
const shared = new Map<string, string>();
const REPEATING = new Set([
  'host', 'content-type', 'content-length', 'content-encoding', 'accept', 'accept-encoding', 'accept-language',
  'user-agent', 'origin', 'cache-control', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-port', 'x-forwarded-proto',
]);

/** The shared string equal to `value` (the header `name`'s), or `value` itself when it is not shared. */
export function shareHeaderValue(name: string, value: string): string {
  if (value.length > 200 || !REPEATING.has(name)) return value;
  const s = shared.get(value);
  if (s !== undefined) return s;
  if (shared.size >= SHARED_MAX) shared.clear();
  shared.set(value, value);
  return value;
}
