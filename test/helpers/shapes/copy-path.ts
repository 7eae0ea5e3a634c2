// Probes for test/unit/http/hidden-classes.test.ts (run by shape-count.ts in a fresh process).
import { cloneHeaders } from '../../../src/faults/types';
import { CopyAttempt, type CopyResult } from '../../../src/http/copy-sender';

const ANSWER = Buffer.from('{"id":"ord_1","status":"created"}');

/** 3,000 copies answered through the handler methods undici calls: connect, headers, body, complete. */
export async function answeredCopies(): Promise<CopyResult[]> {
  return Array.from({ length: 3000 }, (_, i) => {
    let result: CopyResult | undefined;
    const attempt = new CopyAttempt(undefined, { body: Buffer.from('{}'), key: `k-${i}` }, 60_000, (r) => (result = r));
    attempt.onConnect(() => undefined);
    attempt.onHeaders(201, [Buffer.from('content-type'), Buffer.from('application/json')]);
    attempt.onData(ANSWER);
    attempt.onComplete();
    return result!;
  });
}

/** 3,000 copies whose connection was reset. */
export async function failedCopies(): Promise<CopyResult[]> {
  return Array.from({ length: 3000 }, () => {
    let result: CopyResult | undefined;
    const attempt = new CopyAttempt(undefined, { body: Buffer.alloc(0) }, 60_000, (r) => (result = r));
    attempt.onError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
    return result!;
  });
}

/** 3,000 copies' headers: cloned from the original's and marked (the mark header a scenario may set). */
export async function markedHeaders(): Promise<object[]> {
  const original = { host: 'shop', 'content-type': 'application/json', 'content-length': '2', 'idempotency-key': 'k' };
  return Array.from({ length: 3000 }, (_, i) => {
    const h = cloneHeaders(original);
    h['x-doubletap-copy'] = `c-${i}.1`;
    return h;
  });
}
