import { expect } from 'chai';
import { evidenceWarnings } from '../../../src/reconcile/warnings';
import { parseScenario } from '../../../src/scenario/load';

const http = { upstream: 'http://127.0.0.1:1', rules: [{ name: 'create', fraction: 0.1, faults: [{ kind: 'replay' }] }] };

describe('reconcile/warnings (validate)', () => {
  it('warns when a rule has no books, a relay can never pass, or the load is too small', () => {
    const s = parseScenario({
      version: 1, name: 'w', http,
      kafka: { brokers: ['127.0.0.1:9092'], relays: [{ name: 'pay', from: 'a', to: 'b', fraction: 0.1 }] },
      load: { http: [{ rule: 'create', url: '/orders', total: 50 }] },
    });
    const w = evidenceWarnings(s);
    expect(w).to.have.length(3);
    expect(w[0]).to.match(/^http\.rules\[0\] \(create\): no invariant reads the books/);
    expect(w[1]).to.match(/^kafka\.relays\[0\] \(pay\): .*can never pass/);
    expect(w[2]).to.equal('load.http[0]: 50 operations at fraction 0.1 make at most 5 copies, fewer than evidence.minCopies (10): the run will be inconclusive');
  });

  it('suggests keyed probes for global counts under live traffic; none for a keyed scenario', () => {
    const probes = { orders: { sql: 'select count(*) from orders', url: 'env:DB' } };
    const global = parseScenario({ version: 1, name: 'g', http, probes, invariants: [{ probe: 'orders', grows_by: 'ops(create)' }] });
    expect(evidenceWarnings(global)).to.deep.equal([
      'probes.orders: with live traffic (no load:) a global count also moves with requests outside the window and other writers; a keyed probe (keys: { rule: … }) reconciles exactly',
    ]);
    const keyed = parseScenario({
      version: 1, name: 'k', http, probes: { orders: { ...probes.orders, sql: 'select count(*) from orders where k = any($1)', keys: { rule: 'create' } } },
      invariants: [{ probe: 'orders', grows_by: 'ops(create)' }],
    });
    expect(evidenceWarnings(keyed)).to.deep.equal([]);
  });

  it('a bad load template is a config error with its path (exit 2 before anything starts)', () => {
    expect(() => parseScenario({ version: 1, name: 't', http, load: { http: [{ url: '/o', body: { n: '{{int 9 1}}' } }] } })).to.throw(/load\.http\.0\.body|load\.http\[0\]\.body/);
    expect(() => parseScenario({ version: 1, name: 't', http, load: { http: [{ url: '/o', body: { n: '{{nope}}' } }] } })).to.throw(/unknown token/);
  });

  it('a keyed probe must name an http rule', () => {
    expect(() => parseScenario({ version: 1, name: 't', http, probes: { o: { sql: 'select 1', url: 'env:DB', keys: { rule: 'nope' } } } })).to.throw(/probes\.o\.keys\.rule.*no http rule named nope/);
  });
});
