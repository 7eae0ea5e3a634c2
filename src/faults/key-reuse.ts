// key-reuse: the same key with a changed JSON body. A correct service rejects it (422, or 400); a
// replay of the original's response or a fresh 2xx are both bugs.
import { cloneHeaders, type FaultDriver } from './types';

export interface BodyChange {
  field: string;
  add?: number;
  set?: unknown;
}

/** Apply the change at a dot path (a.b.c); intermediate objects are created. Throws on a non-object. */
export function changeJson(value: unknown, change: BodyChange): unknown {
  if (value === null || typeof value !== 'object') throw new Error('body is not a JSON object or array');
  const parts = change.field.split('.');
  let node = value as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === undefined) node = node[part] = {} as Record<string, unknown>;
    else if (next !== null && typeof next === 'object') node = next as Record<string, unknown>;
    else throw new Error(`${change.field}: ${part} is not an object`);
  }
  const last = parts[parts.length - 1];
  if (change.set !== undefined) node[last] = change.set;
  else {
    const add = change.add ?? 1;
    const current = node[last];
    node[last] = typeof current === 'number' ? current + add : add;
  }
  return value;
}

export const keyReuse: FaultDriver<'key-reuse'> = {
  kind: 'key-reuse',
  clock: 'after-response',
  shape: (original, fault) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(original.body.toString('utf8'));
      const body = Buffer.from(JSON.stringify(changeJson(parsed, fault.change)), 'utf8');
      const headers = cloneHeaders(original.headers);
      return { headers, body };
    } catch {
      // Fail closed: a change we cannot make is no copy, never a half-changed one.
      return { skip: 'body-not-json' };
    }
  },
};
