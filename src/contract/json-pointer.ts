// RFC 6901 JSON pointers: how every spec error and every generated value names its place in the document.

export function escapeToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function joinPointer(base: string, ...tokens: Array<string | number>): string {
  return base + tokens.map((t) => `/${escapeToken(t)}`).join('');
}

/** undefined when the pointer leads nowhere. `#/a/b` and `/a/b` are both accepted. */
export function resolvePointer(doc: unknown, pointer: string): unknown {
  const p = pointer.replace(/^#/, '');
  if (p === '') return doc;
  let cur: unknown = doc;
  for (const raw of p.replace(/^\//, '').split('/')) {
    const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, token)) return undefined;
    cur = (cur as Record<string, unknown>)[token];
  }
  return cur;
}

/** Every `$ref` string in the document with the pointer of the `$ref` member itself. */
export function findRefs(doc: unknown, at = ''): Array<{ ref: string; pointer: string }> {
  if (doc === null || typeof doc !== 'object') return [];
  const out: Array<{ ref: string; pointer: string }> = [];
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    if (k === '$ref' && typeof v === 'string') out.push({ ref: v, pointer: joinPointer(at, k) });
    else out.push(...findRefs(v, joinPointer(at, k)));
  }
  return out;
}
