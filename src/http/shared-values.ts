// Header values repeat from request to request (Host, Content-Type, the X-Forwarded-* set): a pending
// copy shares one string per value instead of holding its own (about 200 bytes per copy). Bounded
// (cleared when full); credentials are never kept here.

const SHARED_MAX = 512;
const shared = new Map<string, string>();
const PRIVATE = new Set(['authorization', 'proxy-authorization', 'cookie']);

/** The shared string equal to `value` (the header `name`'s), or `value` itself when it is not shared. */
export function shareHeaderValue(name: string, value: string): string {
  if (value.length > 100 || PRIVATE.has(name)) return value;
  const s = shared.get(value);
  if (s !== undefined) return s;
  if (shared.size >= SHARED_MAX) shared.clear();
  shared.set(value, value);
  return value;
}
