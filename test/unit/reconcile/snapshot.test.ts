import { expect } from 'chai';
import { ProbeError } from '../../../src/errors';
import type { Probe } from '../../../src/probes/types';
import { compareSnapshots, takeSnapshot } from '../../../src/reconcile/snapshot';

// Probe is doubletap's own one-method interface; these are tiny in-process implementations of it.
const fixed = (name: string, value: number, delayMs = 0): Probe => ({
  name,
  kind: 'http',
  read: () => new Promise((r) => setTimeout(() => r(value), delayMs)),
  close: async () => undefined,
});
const failing = (name: string): Probe => ({ name, kind: 'sql', read: async () => { throw new ProbeError(name, 'cannot read from postgres db:5432/shop: timeout'); }, close: async () => undefined });

describe('reconcile/snapshot', () => {
  it('reads all probes in parallel and never throws', async () => {
    const started = Date.now();
    const snap = await takeSnapshot([fixed('a', 1, 200), fixed('b', 2, 200), failing('c')]);
    expect(Date.now() - started).to.be.lessThan(390);
    expect(snap).to.deep.equal({ a: { value: 1 }, b: { value: 2 }, c: { value: null, error: 'probe c: cannot read from postgres db:5432/shop: timeout' } });
  });

  it('compares snapshots into before/after/delta', () => {
    const r = compareSnapshots({ a: { value: 0.1 }, b: { value: 5 }, c: { value: 1 } }, { a: { value: 0.3 }, b: { value: null, error: 'boom' } });
    expect(r).to.deep.equal({
      a: { before: 0.1, after: 0.3, delta: 0.2 },
      b: { before: 5, after: null, delta: null, error: 'after: boom' },
      c: { before: 1, after: null, delta: null, error: 'after: not read after the run' },
    });
  });
});
