// The JUnit XML is read by junit2json (xml2js, strict): counts, classnames, failure/error/skipped.
import { expect } from 'chai';
import { parse } from 'junit2json';
import { renderJunit, xml } from '../../../src/contract/junit';
import { summarize } from '../../../src/contract/run';
import type { CheckResult } from '../../../src/contract/types';

const r = (check: CheckResult['check'], status: CheckResult['status'], summary: string, evidence: string[] = []): CheckResult => ({ check, status, summary, evidence, durationMs: 12 });

export const SAMPLE = summarize({ spec: 'shop.yaml', baseUrl: 'http://127.0.0.1:1', seed: 1, runId: 'r', startedAt: '2026-12-01T22:00:00.000Z' }, [
  { id: 'POST /orders', method: 'POST', path: '/orders', results: [
    r('sequential-duplicate', 'fail', 'the duplicate executed again <&> "quoted"', ['1st: 201, id=1', '2nd: 201, id=2']),
    r('concurrent-duplicate', 'inconclusive', 'cannot tell'),
    r('body-mismatch', 'pass', 'refused with 422'),
    r('missing-key', 'pass', 'refused with 400'),
    r('store-down', 'not-applicable', 'no link'),
  ] },
  { id: 'PUT /orders/{id}', method: 'PUT', path: '/orders/{id}', results: [r('sequential-duplicate', 'pass', 'ok \u0001 control char')] },
]);

describe('contract JUnit XML', () => {
  it('parses with junit2json: suites per operation, cases per check, failure / error / skipped', async () => {
    const doc = (await parse(renderJunit(SAMPLE))) as { testsuite: Array<Record<string, any>>; tests: number; failures: number; errors: number }; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(doc).to.include({ tests: 6, failures: 1, errors: 1 });
    expect(doc.testsuite.map((s) => [s.name, s.tests, s.failures, s.errors, s.skipped])).to.deep.equal([
      ['POST /orders', 5, 1, 1, 1],
      ['PUT /orders/{id}', 1, 0, 0, 0],
    ]);
    const cases = doc.testsuite[0].testcase;
    expect(cases.map((c: { name: string }) => c.name)).to.deep.equal(['sequential-duplicate', 'concurrent-duplicate', 'body-mismatch', 'missing-key', 'store-down']);
    expect(cases[0].classname).to.equal('POST /orders');
    expect(cases[0].failure[0].message).to.equal('the duplicate executed again <&> "quoted"');
    expect(cases[0].failure[0].inner).to.include('2nd: 201, id=2');
    expect(cases[1].error[0].type).to.equal('inconclusive');
    expect(cases[4].skipped[0].message).to.equal('no link');
    expect(cases[2].time).to.equal(0.012);
  });

  it('escapes markup and drops characters XML cannot carry', () => {
    expect(xml('a<b>&"\'\u0001')).to.equal('a&lt;b&gt;&amp;&quot;&apos;');
  });

  it('summarize: any fail → fail; else any inconclusive → inconclusive; nothing applicable → inconclusive', () => {
    expect(SAMPLE.status).to.equal('fail');
    const head = { spec: 's', baseUrl: 'b', seed: 1, runId: 'r', startedAt: '' };
    expect(summarize(head, [{ id: 'x', method: 'POST', path: '/x', results: [r('store-down', 'not-applicable', 'n')] }]).reason).to.equal('no check applied: nothing was tested');
    expect(summarize(head, [{ id: 'x', method: 'POST', path: '/x', results: [r('missing-key', 'pass', 'p'), r('body-mismatch', 'inconclusive', 'i')] }]).status).to.equal('inconclusive');
  });
});
