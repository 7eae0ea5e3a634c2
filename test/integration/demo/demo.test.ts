// `doubletap demo` as a user runs it: the built CLI in a child process, on the embedded database, and
// again against a real PostgreSQL through DATABASE_URL.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Verdict } from '../../../src/reconcile/types';
import { createTestPostgres, type TestDatabase } from '../../helpers/databases';
import { REPO_ROOT } from '../../helpers/cli';
import { ensureBroker } from '../../helpers/kafka-broker';

const BIN = join(REPO_ROOT, 'bin', 'doubletap.js');

function runBuiltCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function verdictOf(dir: string): Verdict {
  return JSON.parse(readFileSync(join(dir, 'verdict.json'), 'utf8')) as Verdict;
}

function expectCaughtTheBug(reportDir: string): void {
  const naive = verdictOf(join(reportDir, 'naive'));
  const correct = verdictOf(join(reportDir, 'correct'));
  expect(naive.status).to.equal('fail');
  expect(correct.status).to.equal('pass');
  // The naive shop ran every duplicate again: its orders grew by more than the logical operations.
  const ops = naive.rules['create-order'].ops;
  expect(ops).to.be.greaterThan(0);
  expect(naive.probes.orders.delta, JSON.stringify({ http: naive.http, ops, probes: naive.probes })).to.equal(ops + naive.http.outcomes['re-executed'] + lostReplyRetries(naive));
  expect(correct.probes.orders.delta).to.equal(correct.rules['create-order'].ops);
  expect(correct.http.outcomes['re-executed']).to.equal(0);
  expect(correct.http.outcomes.replayed).to.be.greaterThan(0);
  for (const variant of ['naive', 'correct']) {
    const html = readFileSync(join(reportDir, variant, 'index.html'), 'utf8');
    expect(html).to.include('timeline-chart');
    expect(existsSync(join(reportDir, variant, 'journal.jsonl'))).to.equal(true);
    expect(existsSync(join(reportDir, variant, 'timeline.jsonl'))).to.equal(true);
  }
}

/** Each lost reply makes the client retry; the naive shop executes that retry as a new order. */
function lostReplyRetries(v: Verdict): number {
  return v.http.originals - v.rules['create-order'].ops;
}

describe('doubletap demo (built CLI, child process)', function () {
  this.timeout(180_000);

  before(function () {
    if (!existsSync(join(REPO_ROOT, 'dist', 'src', 'cli.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
  });

  it('catches the naive shop and passes the correct one on the embedded database, in under 90 s', async () => {
    const reportDir = mkdtempSync(join(tmpdir(), 'dt-demo-'));
    const started = Date.now();
    const r = await runBuiltCli(['demo', '--report-dir', reportDir], { DATABASE_URL: '' }, 150_000);
    const seconds = (Date.now() - started) / 1000;
    expect(r.code, r.stderr.slice(-2000)).to.equal(0);
    expect(r.stdout).to.include('embedded PostgreSQL');
    expect(r.stdout).to.match(/verdict\s+FAIL\s+PASS/);
    expect(r.stdout).to.include(join(reportDir, 'naive', 'index.html'));
    expectCaughtTheBug(reportDir);
    expect(seconds).to.be.below(90);
  });

  describe('against a real PostgreSQL (DATABASE_URL)', () => {
    let db: TestDatabase;
    before(async () => (db = await createTestPostgres()));
    after(() => db?.drop());

    it('fails the naive shop and passes the correct one', async () => {
      const reportDir = mkdtempSync(join(tmpdir(), 'dt-demo-pg-'));
      const r = await runBuiltCli(['demo', '--report-dir', reportDir, '--duration', '6s'], { DATABASE_URL: db.url }, 120_000);
      expect(r.code, r.stderr.slice(-2000)).to.equal(0);
      expect(r.stdout).to.include('(DATABASE_URL)');
      expectCaughtTheBug(reportDir);
      const [{ n }] = (await db.query('select count(*)::int as n from orders')) as Array<{ n: number }>;
      const naive = verdictOf(join(reportDir, 'naive'));
      const correct = verdictOf(join(reportDir, 'correct'));
      expect(n).to.equal(naive.probes.orders.delta! + correct.probes.orders.delta!);
    });
  });

  it('also runs the payment-events relay scenario when Kafka brokers are given', async () => {
    const { brokers } = await ensureBroker();
    const reportDir = mkdtempSync(join(tmpdir(), 'dt-demo-kafka-'));
    const r = await runBuiltCli(['demo', '--report-dir', reportDir, '--duration', '5s', '--brokers', brokers.join(',')], { DATABASE_URL: '' }, 170_000);
    expect(r.code, r.stderr.slice(-2000)).to.equal(0);
    expectCaughtTheBug(reportDir);
    const naive = verdictOf(join(reportDir, 'payments-naive'));
    const correct = verdictOf(join(reportDir, 'payments-correct'));
    expect([naive.status, correct.status]).to.deep.equal(['fail', 'pass']);
    // The naive consumer applied every delivery: each original once, plus every injected copy.
    expect(naive.kafka.copies).to.be.greaterThan(0);
    expect(naive.probes.payments.delta).to.equal(naive.kafka.originals + naive.kafka.copies);
    expect(correct.probes.payments.delta).to.equal(correct.rules.payments.ops);
  });
});
