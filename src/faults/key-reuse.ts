// key-reuse: the same key with a changed JSON body. A correct service refuses it (422, or 400); a
// success that names the original's resource (or says it replayed) is a wrong replay, one that names a
// new resource is a second execution. The changed field keeps its JSON type and no field is added:
// a marker field or a number-for-string swap would let a service refuse the copy as malformed (400)
// and look correct for the wrong reason.
import { compareIdentity, isSuccess } from './answer';
import { updateAtPath } from './json-path';
import { cloneHeaders, type FaultDriver } from './types';

export interface BodyChange {
  field: string;
  add?: number;
  set?: unknown;
}

/** The changed value, of the same JSON type as `current`; throws when it cannot be changed. */
function changedValue(current: unknown, change: BodyChange): unknown {
  if (change.set !== undefined) return change.set;
  const add = change.add ?? 1;
  if (typeof current === 'number') return current + add;
  if (typeof current === 'boolean') return !current;
  if (typeof current === 'string') {
    const n = Number(current);
    return current.trim() !== '' && Number.isFinite(n) ? String(n + add) : `${current}-${add}`;
  }
  throw new Error(`${change.field} is ${current === null ? 'null' : Array.isArray(current) ? 'an array' : 'an object'}, not a number, string or boolean`);
}

/** Apply the change at a dot path (a.b.c) of an existing field (own properties only, no reserved
 * names: see json-path.ts). Throws when the field is missing: no marker field is ever added. */
export function changeJson(value: unknown, change: BodyChange): unknown {
  updateAtPath(value, change.field, (current) => {
    if (current === undefined) throw new Error(`${change.field} is not in the body`);
    return changedValue(current, change);
  });
  return value;
}

export const keyReuse: FaultDriver<'key-reuse'> = {
  kind: 'key-reuse',
  clock: 'after-response',
  shape: (original, fault) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(original.body.toString('utf8'));
    } catch {
      // Fail closed: a change we cannot make is no copy, never a half-changed one.
      return { skip: 'body-not-json' };
    }
    try {
      const body = Buffer.from(JSON.stringify(changeJson(parsed, fault.change)), 'utf8');
      return { headers: cloneHeaders(original.headers), body };
    } catch {
      return { skip: 'field-not-changeable' };
    }
  },
  judge: (copy, reference) => {
    const status = copy.status;
    if (status === 409) return { outcome: 'conflict', verifiedBy: 'status' };
    if (status === 422 || status === 400) {
      return isSuccess(reference?.status) ? { outcome: 'rejected', verifiedBy: 'status' } : { outcome: 'unverified' };
    }
    if (!isSuccess(status)) return { outcome: 'unverified' };
    const same = compareIdentity(copy, reference);
    if (same === 'different') return { outcome: 're-executed', verifiedBy: 'identity' };
    // Accepted a changed body under a used key: a bug whether or not the service ran it again.
    return { outcome: 'wrong-replay', verifiedBy: copy.replayedHeader ? 'header' : same === 'same' ? 'identity' : 'status' };
  },
};
