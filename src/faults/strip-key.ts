// strip-key: the same request without its identity header. A correct service answers 400; a 2xx
// means it executed a write it could not deduplicate.
import { cloneHeaders, type FaultDriver } from './types';

export const stripKey: FaultDriver<'strip-key'> = {
  kind: 'strip-key',
  clock: 'after-response',
  shape: (original) => {
    const headers = cloneHeaders(original.headers);
    delete headers[original.identityHeader];
    return { headers, body: original.body };
  },
};
