import { expect } from 'chai';
import { FAULTS, faultDriver, isNoCopy } from '../../../src/faults';
import { changeJson } from '../../../src/faults/key-reuse';
import { HTTP_FAULT_KINDS, httpFault } from '../../../src/scenario/schema-http';

const original = {
  headers: Object.freeze({ 'idempotency-key': 'k1', 'content-type': 'application/json' }),
  body: Buffer.from('{"amount":5,"meta":{"n":1}}'),
  identityHeader: 'idempotency-key',
};

describe('faults', () => {
  it('has one driver per fault kind', () => {
    expect(Object.keys(FAULTS).sort()).to.deep.equal([...HTTP_FAULT_KINDS].sort());
    for (const k of HTTP_FAULT_KINDS) expect(faultDriver(k).kind).to.equal(k);
  });

  it('replay and burst copy the request as is; burst overlaps the original, replay follows it', () => {
    for (const kind of ['replay', 'burst'] as const) {
      const c = faultDriver(kind).shape(original, httpFault.parse({ kind }) as never, 0);
      expect(isNoCopy(c)).to.equal(false);
      if (!isNoCopy(c)) {
        expect(c.headers).to.deep.equal(original.headers);
        expect(c.headers).to.not.equal(original.headers);
        expect(c.body).to.equal(original.body);
      }
    }
    expect(FAULTS.burst.clock).to.equal('from-send');
    expect(FAULTS.replay.clock).to.equal('after-response');
  });

  it('strip-key removes only the identity header', () => {
    const c = FAULTS['strip-key'].shape(original, httpFault.parse({ kind: 'strip-key' }) as never, 0);
    expect(c).to.deep.equal({ headers: { 'content-type': 'application/json' }, body: original.body });
    expect(original.headers['idempotency-key']).to.equal('k1');
  });

  it('key-reuse changes one field at a dot path (add or set); a non-JSON body is no copy', () => {
    const fault = httpFault.parse({ kind: 'key-reuse', change: { field: 'meta.n', add: 2 } });
    const c = FAULTS['key-reuse'].shape(original, fault as never, 0);
    expect(isNoCopy(c) ? undefined : JSON.parse(c.body.toString())).to.deep.equal({ amount: 5, meta: { n: 3 } });
    expect(original.body.toString()).to.equal('{"amount":5,"meta":{"n":1}}');
    // The changed field keeps its JSON type, and no field is added (a marker would be refused as malformed).
    expect(changeJson({ a: 'str' }, { field: 'a', add: 1 })).to.deep.equal({ a: 'str-1' });
    expect(changeJson({ a: '100' }, { field: 'a', add: 5 })).to.deep.equal({ a: '105' });
    expect(changeJson({ a: true }, { field: 'a' })).to.deep.equal({ a: false });
    expect(changeJson({ b: { c: 1 } }, { field: 'b.c', set: 9 })).to.deep.equal({ b: { c: 9 } });
    expect(() => changeJson({ a: 1 }, { field: 'b.c', set: 'x' })).to.throw(/b\.c is not in the body/);
    expect(() => changeJson({ a: 1 }, { field: 'a.c', set: 'x' })).to.throw(/a is not an object/);
    expect(() => changeJson({ a: 1 }, { field: 'b', add: 1 })).to.throw(/not in the body/);
    const missing = FAULTS['key-reuse'].shape(original, httpFault.parse({ kind: 'key-reuse', change: { field: 'nope' } }) as never, 0);
    expect(missing).to.deep.equal({ skip: 'field-not-changeable' });
    const bad = FAULTS['key-reuse'].shape({ ...original, body: Buffer.from('not json') }, fault as never, 0);
    expect(bad).to.deep.equal({ skip: 'body-not-json' });
  });

  it('lost-reply sends no copy of its own', () => {
    expect(FAULTS['lost-reply'].clock).to.equal('none');
    expect(isNoCopy(FAULTS['lost-reply'].shape(original, httpFault.parse({ kind: 'lost-reply' }) as never, 0))).to.equal(true);
  });
});
