// key-reuse: the same key with a changed JSON body. A correct service rejects it (422, or 400); a
// replay of the original's response or a fresh 2xx are both bugs.
import { updateAtPath } from './json-path';
import { cloneHeaders, type FaultDriver } from './types';

export interface BodyChange {
  field: string;
  add?: number;
  set?: unknown;
}

/** Apply the change at a dot path (a.b.c); intermediate objects are created. Throws on a non-object
 * or a path through a prototype (see json-path.ts). */
export function changeJson(value: unknown, change: BodyChange): unknown {
  updateAtPath(value, change.field, (current) =>
    change.set !== undefined ? change.set : typeof current === 'number' ? current + (change.add ?? 1) : (change.add ?? 1),
  );
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
