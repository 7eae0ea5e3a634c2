import { expect } from 'chai';
import { Tally } from '../../../src/journal/tally';
import type { JournalEntry } from '../../../src/journal/types';
import { checkExpression, evaluateExpression, quoteCallArguments } from '../../../src/reconcile/expressions';
import { parseScenario } from '../../../src/scenario/load';

function tallyOf(entries: Array<Partial<JournalEntry>>): Tally {
  const t = new Tally();
  entries.forEach((e, i) => t.add({ ts: '', id: `x${i}`, kind: 'original', ...e } as JournalEntry));
  return t;
}

// create-order: 3 originals (2 distinct keys ok, 1 failed), 4 copies; payments relay: 2 originals, 1 copy.
const tally = tallyOf([
  { rule: 'create-order', key: 'a', status: 201 },
  { rule: 'create-order', key: 'b', status: 201 },
  { rule: 'create-order', key: 'c', status: 500 },
  { rule: 'create-order', kind: 'copy', outcome: 'replayed' },
  { rule: 'create-order', kind: 'copy', outcome: 'replayed' },
  { rule: 'create-order', kind: 'copy', outcome: 're-executed' },
  { rule: 'create-order', kind: 'copy', outcome: 'conflict' },
  { relay: 'payments', messageId: 'm1' },
  { relay: 'payments', messageId: 'm2' },
  { relay: 'payments', kind: 'copy', outcome: 'replayed' },
]);

describe('reconcile/expressions', () => {
  it('quotes bare names inside count calls only', () => {
    expect(quoteCallArguments('2 * ops(create-order) - copies(a.b, replayed)')).to.equal('2 * ops("create-order") - copies("a.b", "replayed")');
    expect(quoteCallArguments('ops("x")')).to.equal('ops("x")');
  });

  it('evaluates arithmetic and counts with hyphenated names', () => {
    expect(evaluateExpression('1 + 2 * 3', tally)).to.equal(7);
    expect(evaluateExpression('(1 + 2) * 3 / 2', tally)).to.equal(4.5);
    expect(evaluateExpression('-2 + 5', tally)).to.equal(3);
    expect(evaluateExpression('ops(create-order)', tally)).to.equal(2);
    expect(evaluateExpression('originals(create-order)', tally)).to.equal(3);
    expect(evaluateExpression('copies(create-order)', tally)).to.equal(4);
    expect(evaluateExpression('copies(create-order, replayed)', tally)).to.equal(2);
    expect(evaluateExpression('2 * ops(create-order) + ops(payments)', tally)).to.equal(6);
    expect(evaluateExpression('copies(*, replayed)', tally)).to.equal(3);
    expect(evaluateExpression('copies(all)', tally)).to.equal(5);
    expect(evaluateExpression('50', tally)).to.equal(50);
  });

  it('refuses everything outside the grammar, never evaluating JavaScript', () => {
    expect(() => evaluateExpression('process.exit(1)', tally)).to.throw(/not supported|unknown/);
    expect(() => evaluateExpression('ops(a) > 1', tally)).to.throw(/operator > is not supported/);
    expect(() => evaluateExpression('ops(a) ? 1 : 2', tally)).to.throw(/ConditionalExpression is not supported/);
    expect(() => evaluateExpression('"x"', tally)).to.throw(/outside a count function/);
    expect(() => evaluateExpression('1 / 0', tally)).to.throw(/not a finite number/);
    expect(() => evaluateExpression('ops(', tally)).to.throw(/cannot parse/);
  });

  it('checkExpression reports unknown functions, names and outcomes', () => {
    const known = ['create-order', 'payments'];
    expect(checkExpression('2 * ops(create-order) + copies(*, replayed)', known)).to.equal(undefined);
    expect(checkExpression('count(create-order)', known)).to.match(/unknown function count/);
    expect(checkExpression('ops(create-ordr)', known)).to.match(/no rule or relay named create-ordr \(known: create-order, payments\)/);
    expect(checkExpression('copies(create-order, replay)', known)).to.match(/unknown outcome replay/);
    expect(checkExpression('ops(create-order, replayed)', known)).to.match(/takes one rule or relay name/);
    expect(checkExpression('orders + 1', known)).to.match(/unknown name orders/);
  });

  it('the scenario loader rejects a bad expression with the invariant path', () => {
    const raw = {
      version: 1,
      name: 't',
      http: { upstream: 'http://127.0.0.1:1', rules: [{ name: 'create-order', match: { method: 'POST', path: '/orders' }, fraction: 0.5, faults: [{ kind: 'replay' }] }] },
      probes: { orders: { sql: 'select count(*) from orders', url: 'env:DATABASE_URL' } },
      invariants: [{ probe: 'orders', grows_by: 'ops(create-order)' }, { probe: 'orders', grows_at_least: 'oops(create-order)' }],
    };
    expect(() => parseScenario(raw)).to.throw(/invariants\[1\]\.grows_at_least: unknown function oops/);
    raw.invariants.pop();
    expect(parseScenario(raw).invariants).to.have.length(1);
  });
});
