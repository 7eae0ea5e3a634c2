// `doubletap contract` against the example shop on real PostgreSQL, through the CLI: the correct variant
// passes every check, each broken variant fails exactly the checks its flaw breaks, with its evidence;
// the JUnit file parses, and the books show what the checks claimed.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseJunit } from 'junit2json';
import { parse as parseYaml, stringify } from 'yaml';
import type { ConfigError } from '../../../src/errors';
import { createTestPostgres, type TestDatabase } from '../../helpers/databases';
import { REPO_ROOT, runCli, type CliResult } from '../../helpers/cli';
import { startShop, type Shop } from '../../../examples/shop';
import type { ContractReport } from '../../../src/contract/run';
import { runContractCommand } from '../../../src/commands/contract';
import { DEFAULT_FLAGS } from './flags';

const SPEC = join(REPO_ROOT, 'examples', 'shop', 'openapi.yaml');

describe('doubletap contract against the example shop (PostgreSQL)', function () {
  this.timeout(90_000);
  let db: TestDatabase;
  let shop: Shop;
  let dir: string;
  // Through the real CLI (a child process) where the exit code and stdout are the point; in process
  // (the same command function, without commander) elsewhere, because a CLI start is slow on a busy machine.
  const cli = (base: string, name: string): Promise<CliResult> =>
    runCli(['contract', '--openapi', SPEC, '--base-url', base, '--seed', '3', '--run-id', name,
      '--report-dir', join(dir, name), '--junit', join(dir, `${name}.xml`)], { env: { DATABASE_URL: db.url }, timeoutMs: 80_000 });
  const contract = async (base: string, name: string, spec = SPEC): Promise<{ code: number; stdout: string }> => {
    let stdout = '';
    const flags = { ...DEFAULT_FLAGS, openapi: spec, baseUrl: base, seed: '3', runId: name, reportDir: join(dir, name), junit: join(dir, `${name}.xml`) };
    const code = await runContractCommand(flags, (t) => (stdout += t), { ...process.env, DATABASE_URL: db.url });
    return { code, stdout };
  };
  const report = (name: string): ContractReport => JSON.parse(readFileSync(join(dir, name, 'contract.json'), 'utf8'));
  const statuses = (name: string): Record<string, string> =>
    Object.fromEntries(report(name).operations[0].results.map((r) => [r.check, r.status]));
  const ordersFor = async (runId: string): Promise<Record<string, number>> => {
    const rows = (await db.query(`SELECT idempotency_key AS k, count(*)::int AS n FROM orders WHERE idempotency_key LIKE $1 GROUP BY 1`, [`dt-${runId}-%`])) as { k: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.k.replace(`dt-${runId}-0-`, ''), r.n]));
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'doubletap-contract-'));
    db = await createTestPostgres();
    shop = await startShop({ databaseUrl: db.url });
  });
  after(async () => {
    await shop?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('correct: every check passes (store-down not applicable), exit 0, one order per key in the books', async () => {
    const r = await cli(shop.url, 'correct');
    expect(r.code, r.stderr + r.stdout).to.equal(0);
    expect(statuses('correct')).to.deep.equal({
      'sequential-duplicate': 'pass', 'concurrent-duplicate': 'pass', 'body-mismatch': 'pass', 'missing-key': 'pass', 'store-down': 'not-applicable',
    });
    expect(r.stdout).to.match(/POST \/orders\s+sequential-duplicate\s+PASS\s+one side effect \(probe orders \+1 then \+0\)/);
    expect(r.stdout).to.include('· 2nd (same key, same body): 201, id=');
    expect(r.stdout).to.include('contract pass: 4 checks passed on 1 operations');
    // The books agree with the checks: exactly one order for each key the checks used.
    expect(await ordersFor('correct')).to.deep.equal({ 'sequential-duplicate': 1, 'concurrent-duplicate': 1, 'body-mismatch': 1 });
    const rows = (await db.query(`SELECT count(*)::int AS n FROM orders WHERE variant = 'correct' AND idempotency_key IS NULL`)) as { n: number }[];
    expect(rows[0].n, 'the missing-key request wrote nothing').to.equal(0);
  });

  it('naive: sequential, concurrent, body-mismatch and missing-key fail, each with its evidence; exit 1', async () => {
    const r = await cli(`${shop.url}/naive`, 'naive');
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stdout).to.include('contract fail: 4 checks failed');
    expect(statuses('naive')).to.deep.equal({
      'sequential-duplicate': 'fail', 'concurrent-duplicate': 'fail', 'body-mismatch': 'fail', 'missing-key': 'fail', 'store-down': 'not-applicable',
    });
    const [seq, conc, mismatch, missing] = report('naive').operations[0].results;
    expect(seq.summary).to.equal('the duplicate executed again: probe orders grew by 1 on the second request');
    expect(seq.evidence).to.include.members(['probe orders: +1 on the 1st', 'probe orders: +1 on the 2nd']);
    expect(conc.summary).to.equal('5 executions for one key: probe orders grew by 5 (one execution is +1)');
    expect(conc.evidence[0]).to.equal('5 at once: 5× 201');
    expect(mismatch.summary).to.match(/^re-executed: the changed body ran as a new operation under the same key \(id=\d+\)$/);
    expect(missing.summary).to.equal('answered 201 without a key: an operation that requires one must refuse with 400');
    expect(await ordersFor('naive')).to.deep.equal({ 'sequential-duplicate': 2, 'concurrent-duplicate': 5, 'body-mismatch': 2 });
  });

  it('racy fails only the concurrent and body-mismatch checks; no-fingerprint only body-mismatch (wrong replay)', async () => {
    expect((await contract(`${shop.url}/racy`, 'racy')).code).to.equal(1);
    expect(statuses('racy')).to.deep.equal({
      'sequential-duplicate': 'pass', 'concurrent-duplicate': 'fail', 'body-mismatch': 'fail', 'missing-key': 'pass', 'store-down': 'not-applicable',
    });
    expect((await ordersFor('racy'))['concurrent-duplicate']).to.be.greaterThan(1);
    expect((await contract(`${shop.url}/no-fingerprint`, 'nofp')).code).to.equal(1);
    expect(statuses('nofp')).to.deep.equal({
      'sequential-duplicate': 'pass', 'concurrent-duplicate': 'pass', 'body-mismatch': 'fail', 'missing-key': 'pass', 'store-down': 'not-applicable',
    });
    expect(report('nofp').operations[0].results[2].summary).to.match(/^wrong replay: the changed body got the original's answer \(same identity id=\d+\) instead of 422$/);
  });

  it('the JUnit file of a failing run parses with junit2json: one failure per failed check', async () => {
    const doc = (await parseJunit(readFileSync(join(dir, 'naive.xml'), 'utf8'))) as { tests: number; failures: number; errors: number; testsuite: Array<{ testcase: Array<{ name: string; failure?: { message: string }[]; skipped?: unknown[] }> }> };
    expect(doc).to.include({ tests: 5, failures: 4, errors: 0 });
    const cases = doc.testsuite[0].testcase;
    expect(cases.filter((c) => c.failure).map((c) => c.name)).to.deep.equal(['sequential-duplicate', 'concurrent-duplicate', 'body-mismatch', 'missing-key']);
    expect(cases[4].skipped).to.have.length(1);
  });

  it('without a probe the answers decide: the shop names its orders, so correct still passes', async () => {
    const raw = parseYaml(readFileSync(SPEC, 'utf8'));
    delete raw.paths['/orders'].post['x-doubletap-probe'];
    const spec = join(dir, 'no-probe.yaml');
    writeFileSync(spec, stringify(raw));
    const r = await contract(shop.url, 'answers', spec);
    expect(r.code, r.stdout).to.equal(0);
    expect(report('answers').operations[0].results[0].summary).to.equal('the second answer is a replay (same identity ' + report('answers').operations[0].results[0].evidence[0].replace(/^1st: 201, /, '') + '); no probe, so side effects were not counted');
    const naive = await contract(`${shop.url}/naive`, 'answers-naive', spec);
    expect(naive.code).to.equal(1);
    expect(report('answers-naive').operations[0].results[0].summary).to.match(/^re-executed: the second answer names another resource/);
  });

  it('a keyed probe without its DATABASE_URL is a config error: exit 2, nothing sent', async () => {
    const before = (await db.query('SELECT count(*)::int AS n FROM orders')) as { n: number }[];
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const err = (await runContractCommand({ ...DEFAULT_FLAGS, openapi: SPEC, baseUrl: shop.url, seed: '1' }, () => undefined, env).catch((e: unknown) => e)) as ConfigError;
    expect(err.exitCode).to.equal(2);
    expect(err.issues.join('\n')).to.include('openapi.yaml#/paths/~1orders/post/x-doubletap-probe/url: environment variable DATABASE_URL is not set');
    const after = (await db.query('SELECT count(*)::int AS n FROM orders')) as { n: number }[];
    expect(after[0].n).to.equal(before[0].n);
  });
});
