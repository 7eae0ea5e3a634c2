// The copy path's per-copy objects must share V8 hidden classes. In Node 20's V8 a spread copy plus a
// field (`{ ...result, durationMs }`) gets a hidden class of its own on every call once the site is
// warm: 1,931 shapes at one site in 6 s of copies (bench/ic-diff.ts), every one an inline-cache miss
// wherever the object went. These tests count the shapes the real code makes.
import { expect } from 'chai';
import { setFlagsFromString } from 'node:v8';
import { cloneHeaders } from '../../../src/faults/types';
import { CopyAttempt, type CopyResult } from '../../../src/http/copy-sender';

setFlagsFromString('--allow-natives-syntax');
// Compiled after the flag is set: V8's own test for "same hidden class".
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

/** How many hidden classes the objects have between them. */
function shapes(objects: object[]): number {
  const seen: object[] = [];
  for (const o of objects) if (!seen.some((s) => haveSameMap(s, o))) seen.push(o);
  return seen.length;
}

const ANSWER = Buffer.from('{"id":"ord_1","status":"created"}');

/** One copy's answer through the handler methods undici calls: connect, headers, body, complete. */
function answeredCopy(i: number): CopyResult {
  let result: CopyResult | undefined;
  const attempt = new CopyAttempt(undefined, { body: Buffer.from('{}'), key: `k-${i}` }, 60_000, (r) => (result = r));
  attempt.onConnect(() => undefined);
  attempt.onHeaders(201, [Buffer.from('content-type'), Buffer.from('application/json')]);
  attempt.onData(ANSWER);
  attempt.onComplete();
  return result!;
}

describe('http/hidden classes of the copy path', () => {
  it('copy results: one hidden class for 3,000 answered copies', () => {
    const results = Array.from({ length: 3000 }, (_, i) => answeredCopy(i));
    expect(results[2999]).to.include({ status: 201, identity: '{"id":"ord_1"}' });
    expect(results[2999].durationMs).to.be.a('number');
    expect(shapes(results)).to.equal(1);
  });

  it('copy results that failed share their own few hidden classes', () => {
    const failed = Array.from({ length: 3000 }, () => {
      let result: CopyResult | undefined;
      const attempt = new CopyAttempt(undefined, { body: Buffer.alloc(0) }, 60_000, (r) => (result = r));
      attempt.onError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
      return result!;
    });
    expect(failed[0]).to.include({ error: 'ECONNRESET' });
    expect(shapes(failed)).to.equal(1);
  });

  it('copy headers: cloned per copy and marked, one hidden class', () => {
    const original = { host: 'shop', 'content-type': 'application/json', 'content-length': '2', 'idempotency-key': 'k' };
    const copies = Array.from({ length: 3000 }, (_, i) => {
      const h = cloneHeaders(original);
      h['x-doubletap-copy'] = `c-${i}.1`; // the mark header a scenario may set
      return h;
    });
    expect(copies[5]).to.deep.equal({ ...original, 'x-doubletap-copy': 'c-5.1' });
    expect(shapes(copies)).to.equal(1);
  });
});
