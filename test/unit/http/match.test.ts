import { expect } from 'chai';
import { compileRules, compileGlob, matchRule, methodLabel } from '../../../src/http/match';
import { RecentKeys } from '../../../src/chaos/recent-keys';
import { httpRule } from '../../../src/scenario/schema-http';

describe('rule matching', () => {
  it('globs: * is one segment, ** any number, the rest literal', () => {
    expect(compileGlob('/orders').test('/orders')).to.equal(true);
    expect(compileGlob('/orders').test('/orders/1')).to.equal(false);
    expect(compileGlob('/orders/*').test('/orders/1')).to.equal(true);
    expect(compileGlob('/orders/*').test('/orders/1/items')).to.equal(false);
    expect(compileGlob('/orders/**').test('/orders')).to.equal(true);
    expect(compileGlob('/orders/**').test('/orders/1/items')).to.equal(true);
    expect(compileGlob('/**').test('/')).to.equal(true);
    expect(compileGlob('/a.b').test('/aXb')).to.equal(false);
  });

  it('first matching rule wins; method, path (query ignored) and header presence', () => {
    const rules = compileRules([
      httpRule.parse({ name: 'with-header', match: { method: 'POST', path: '/orders', header: 'X-Tenant' }, fraction: 1 }),
      httpRule.parse({ name: 'orders', match: { method: ['post', 'put'], path: '/orders/**' }, fraction: 1 }),
      httpRule.parse({ name: 'writes', fraction: 1 }),
    ]);
    expect(matchRule(rules, 'POST', '/orders?x=1', { 'x-tenant': 't' })?.name).to.equal('with-header');
    expect(matchRule(rules, 'POST', '/orders?x=1', {})?.name).to.equal('orders');
    expect(matchRule(rules, 'DELETE', '/anything', {})?.name).to.equal('writes');
    expect(matchRule(rules, 'GET', '/orders', {})).to.equal(undefined);
    expect(methodLabel('BREW')).to.equal('OTHER');
  });

  it('seen keys: bounded, least recently seen evicted first', () => {
    const s = new RecentKeys(3);
    expect(['a', 'b', 'c'].map((k) => s.seenBefore(k))).to.deep.equal([false, false, false]);
    expect(s.seenBefore('a')).to.equal(true); // refreshes a
    expect(s.seenBefore('d')).to.equal(false); // evicts b
    expect(s.size).to.equal(3);
    expect(s.seenBefore('b')).to.equal(false);
    expect(s.seenBefore('a')).to.equal(true);
  });
});
