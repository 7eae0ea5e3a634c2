// The copy path's per-copy objects must share V8 hidden classes. In Node 20's V8 a spread copy plus a
// field (`{ ...result, durationMs }`) gets a hidden class of its own on every call once the site is
// warm: 1,931 shapes at one site in 6 s of copies (bench/ic-diff.ts), every one an inline-cache miss
// wherever the object went. These tests count the shapes the real code makes (in a fresh process:
// test/helpers/shape-count.ts says why).
import { expect } from 'chai';
import { countShapes } from '../../helpers/shape-count';

describe('http/hidden classes of the copy path', () => {
  it('copy results: one hidden class for 3,000 answered copies', () => {
    const r = countShapes('copy-path.ts', 'answeredCopies');
    expect(r.last).to.include({ status: 201, identity: '{"id":"ord_1"}' });
    expect((r.last as { durationMs: unknown }).durationMs).to.be.a('number');
    expect(r).to.include({ objects: 3000, shapes: 1 });
  });

  it('copy results that failed share one hidden class too', () => {
    const r = countShapes('copy-path.ts', 'failedCopies');
    expect(r.last).to.include({ error: 'ECONNRESET' });
    expect(r).to.include({ objects: 3000, shapes: 1 });
  });

  it('copy headers: cloned per copy and marked, one hidden class', () => {
    const r = countShapes('copy-path.ts', 'markedHeaders');
    expect(r.last).to.deep.equal({ host: 'shop', 'content-type': 'application/json', 'content-length': '2', 'idempotency-key': 'k', 'x-doubletap-copy': 'c-2999.1' });
    expect(r).to.include({ objects: 3000, shapes: 1 });
  });
});
