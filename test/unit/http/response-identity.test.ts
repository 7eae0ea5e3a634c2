import { expect } from 'chai';
import { canonicalBody, canonicalJson, responseIdentity, valueAtPointer } from '../../../src/http/response-identity';

describe('http/response-identity', () => {
  it('canonicalJson: key order and whitespace never matter; arrays keep their order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).to.equal('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(canonicalJson(JSON.parse('{ "id" : 7 , "sku":"A"}'))).to.equal(canonicalJson({ sku: 'A', id: 7 }));
    expect(canonicalBody('{"b":1,"a":2}')).to.equal(canonicalBody(' {"a":2,\n"b":1} '));
    expect(canonicalBody('')).to.equal(undefined);
    expect(canonicalBody('not json')).to.equal(undefined);
  });

  it('automatic choice: id, else the *_id fields together, at the top or in a data envelope', () => {
    expect(responseIdentity('{"sku":"A","id":7}')).to.deep.equal({ value: '{"id":7}', source: '/id' });
    expect(responseIdentity(Buffer.from('{"order_id":"o1","status":"ok"}'))).to.deep.equal({ value: '{"order_id":"o1"}', source: '/order_id' });
    expect(responseIdentity({ data: { payment_id: 'p', ledger_id: 3 } })?.value).to.equal('{"ledger_id":3,"payment_id":"p"}');
    expect(responseIdentity({ orderId: 'x' })?.value).to.equal('{"orderId":"x"}');
  });

  it('per-exchange and relational ids are never an identity (a fresh trace id is not a new write)', () => {
    expect(responseIdentity({ request_id: 'r1', trace_id: 't', customer_id: 4, status: 'accepted' })).to.equal(undefined);
    expect(responseIdentity({ order_id: 'o1', request_id: 'r1' })?.value).to.equal('{"order_id":"o1"}');
  });

  it('nothing to prove: empty, constant acks, non-JSON, arrays', () => {
    expect(responseIdentity('')).to.equal(undefined);
    expect(responseIdentity('{"accepted":true}')).to.equal(undefined);
    expect(responseIdentity('<html>')).to.equal(undefined);
    expect(responseIdentity('[{"id":1}]')).to.equal(undefined);
  });

  it('a configured JSON pointer wins, compared canonically', () => {
    expect(responseIdentity('{"order":{"ref":{"b":1,"a":2}}}', '/order/ref')?.value).to.equal('{"a":2,"b":1}');
    expect(responseIdentity('{"id":1}', '/missing')).to.equal(undefined);
    expect(valueAtPointer({ 'a/b': { '~x': 1 } }, '/a~1b/~0x')).to.equal(1);
  });
});
