// `doubletap report RUN_DIR` as a user runs it: exit codes and messages for bad run directories.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli';

describe('doubletap report', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'doubletap-report-cmd-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 2 naming verdict.json when it is missing', async () => {
    const r = await runCli(['report', dir]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include(join(dir, 'verdict.json')).and.include('cannot read');
    expect(r.stdout).to.equal('');
    expect(existsSync(join(dir, 'index.html'))).to.equal(false);
  });

  it('exits 2 naming verdict.json when it is not JSON or not a verdict', async () => {
    writeFileSync(join(dir, 'verdict.json'), '{"scenario": "x", ');
    let r = await runCli(['report', dir]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include(`${join(dir, 'verdict.json')}: not valid JSON`);

    writeFileSync(join(dir, 'verdict.json'), JSON.stringify({ scenario: 'x', status: 'great' }));
    r = await runCli(['report', dir]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include(`${join(dir, 'verdict.json')}: status: must be pass, fail, aborted or inconclusive`);
  });

  it('renders a minimal verdict without a timeline, skipping a torn timeline line', async () => {
    const v = { scenario: 'tiny', status: 'inconclusive', seed: 1, startedAt: '2025-01-01T00:00:00Z', endedAt: '2025-01-01T00:00:10Z',
      probes: { orders: { before: 1, after: null, delta: null, error: 'connection refused' } } };
    writeFileSync(join(dir, 'verdict.json'), JSON.stringify(v));
    let r = await runCli(['report', dir]);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.equal(join(dir, 'index.html') + '\n');
    let page = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(page).to.include('id="verdict-status">INCONCLUSIVE<').and.include('no timeline samples were recorded').and.include('connection refused');

    const zero = { replayed: 0, conflict: 0, rejected: 0, 're-executed': 0, 'wrong-replay': 0, error: 0, cancelled: 0 };
    const line = (t: number) => JSON.stringify({ ts: '', t, phase: 'chaos', probes: { orders: t }, originals: t, copies: 0, outcomes: zero });
    writeFileSync(join(dir, 'timeline.jsonl'), `${line(0)}\n${line(1)}\n{"ts":"2025-01-01T00:0`);
    r = await runCli(['report', dir]);
    expect(r.code).to.equal(0);
    page = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(page).to.include('data-series="orders,copies,originals"');
  });
});
