// strip-key: the same request without its identity header. A correct service refuses it (400, or
// 422/428); a 2xx means it executed a write it could not deduplicate. Never a replay: without the key
// there is nothing to replay, whatever the body or headers say.
import { isSuccess } from './answer';
import { cloneHeaders, type FaultDriver } from './types';

const REFUSALS = new Set([400, 422, 428]);

export const stripKey: FaultDriver<'strip-key'> = {
  kind: 'strip-key',
  clock: 'after-response',
  shape: (original) => {
    const headers = cloneHeaders(original.headers);
    delete headers[original.identityHeader];
    return { headers, body: original.body };
  },
  judge: (copy, reference) => {
    if (isSuccess(copy.status)) return { outcome: 're-executed', verifiedBy: 'status' };
    if (REFUSALS.has(copy.status!) && isSuccess(reference?.status)) return { outcome: 'rejected', verifiedBy: 'status' };
    return { outcome: 'unverified' };
  },
};
