import { expect } from 'chai';
import { canonicalBody, canonicalJson, RequestEchoes, responseIdentity, valueAtPointer } from '../../../src/http/response-identity';

describe('http/response-identity', () => {
  it('canonicalJson: key order and whitespace never matter; arrays keep their order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).to.equal('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(canonicalJson(JSON.parse('{ "id" : 7 , "sku":"A"}'))).to.equal(canonicalJson({ sku: 'A', id: 7 }));
    expect(canonicalBody('{"b":1,"a":2}')).to.equal(canonicalBody(' {"a":2,\n"b":1} '));
    expect(canonicalBody('')).to.equal(undefined);
    expect(canonicalBody('not json')).to.equal(undefined);
  });

  it('automatic choice: id, else the *_id fields together, at the top or in a data envelope', () => {
    expect(responseIdentity('{"sku":"A","id":7}')).to.deep.equal({ value: '{"id":"7"}', source: '/id' });
    expect(responseIdentity(Buffer.from('{"order_id":"o1","status":"ok"}'))).to.deep.equal({ value: '{"order_id":"o1"}', source: '/order_id' });
    expect(responseIdentity({ data: { payment_id: 'p', ledger_id: 3 } })?.value).to.equal('{"ledger_id":"3","payment_id":"p"}');
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

  it('an id that only repeats the request is no identity: client-chosen ids, the key; numbers only as top-level fields of that name', () => {
    let parses = 0;
    const sent = (body: unknown, key?: string) => () => (parses++, RequestEchoes.of(Buffer.from(JSON.stringify(body)), key));
    // The client chose the id: the answer's `id` echoes it, the server's own `order_id` is the identity.
    expect(responseIdentity({ id: 'ord-1', order_id: 9 }, undefined, sent({ id: 'ord-1' }))).to.deep.equal({ value: '{"order_id":"9"}', source: '/order_id' });
    expect(responseIdentity({ id: 'ord-1', status: 'created' }, undefined, sent({ order: { id: 'ord-1' } }))).to.deep.equal({ source: 'echo', echoed: true });
    expect(responseIdentity({ sku_id: 'A-1' }, undefined, sent({ sku: 'A-1' }))?.echoed).to.equal(true);
    expect(responseIdentity({ payment_id: 'k-7' }, undefined, sent({}, 'k-7'))?.echoed).to.equal(true);
    // An order id 250 beside an amount of 250, or an item id 250 in the cart, is chance, not an echo;
    // 250 as the request's own top-level `id` is one.
    expect(responseIdentity({ id: 250 }, undefined, sent({ amount_cents: 250 }))?.value).to.equal('{"id":"250"}');
    expect(responseIdentity({ id: 250 }, undefined, sent({ items: [{ id: 250 }] }))?.value).to.equal('{"id":"250"}');
    expect(responseIdentity({ id: 250 }, undefined, sent({ id: 250 }))?.echoed).to.equal(true);
    // A body nested deeper than the stack: no echoes, no exception.
    const deep = Buffer.from('['.repeat(200_000) + '"x"' + ']'.repeat(200_000));
    expect(responseIdentity({ id: 'x' }, undefined, () => RequestEchoes.of(deep, undefined))?.value).to.equal('{"id":"x"}');
    // A configured pointer is checked too; the request is parsed once per answer, and only when an id is there.
    parses = 0;
    expect(responseIdentity({ ref: 'A-1' }, '/ref', sent(['A-1']))).to.deep.equal({ source: '/ref', echoed: true });
    expect(responseIdentity({ a_id: 'x', b_id: 'y' }, undefined, sent({}))?.value).to.equal('{"a_id":"x","b_id":"y"}');
    expect(responseIdentity({ accepted: true }, undefined, sent({}))).to.equal(undefined);
    expect(parses).to.equal(2);
  });

  it('a configured JSON pointer wins, compared canonically', () => {
    expect(responseIdentity('{"order":{"ref":{"b":1,"a":2}}}', '/order/ref')?.value).to.equal('{"a":"2","b":"1"}');
  });

  it('an id 5 and an id "5" name one resource (a DTO first, a stored row with a bigint string on replay)', () => {
    expect(responseIdentity({ id: 5 })?.value).to.equal(responseIdentity({ id: '5' })?.value);
    expect(responseIdentity({ ref: [1, { n: 2 }] }, '/ref')?.value).to.equal(responseIdentity({ ref: ['1', { n: '2' }] }, '/ref')?.value);
    expect(responseIdentity({ id: 5 })?.value).not.to.equal(responseIdentity({ id: 6 })?.value);
    expect(responseIdentity('{"id":1}', '/missing')).to.equal(undefined);
    expect(valueAtPointer({ 'a/b': { '~x': 1 } }, '/a~1b/~0x')).to.equal(1);
  });
});
