// Stand-in for src/http/response-identity.ts (issue 9), which is not on main yet: canonical JSON and
// the resource identity of an answer. Same names and signatures, so switching is one import.

/** JSON with object keys sorted at every level, so key order never makes two answers differ. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * What names the resource an answer is about: the value at `pointer` when given, else `id`, else every
 * top-level `*_id`. undefined when the answer names nothing: such an answer proves nothing by itself.
 */
export function responseIdentity(body: unknown, pointer?: string): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  if (pointer !== undefined) {
    const v = valueAtPointer(body, pointer);
    return v === undefined || v === null || v === '' ? undefined : canonicalJson(v);
  }
  const o = body as Record<string, unknown>;
  if (isIdValue(o.id)) return `id=${canonicalJson(o.id)}`;
  const ids = Object.keys(o).filter((k) => k.endsWith('_id') && isIdValue(o[k])).sort();
  return ids.length ? ids.map((k) => `${k}=${canonicalJson(o[k])}`).join(',') : undefined;
}

function isIdValue(v: unknown): boolean {
  return (typeof v === 'string' && v !== '') || typeof v === 'number';
}

function valueAtPointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  let cur: unknown = doc;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
