// Issue 15 #10, #11: bad paths and hostile YAML exit 2 with one clear line (no stack), nothing
// started; a journal that fails mid-run is loud and counted, and the run/proxy ends inconclusive (4).
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, stopCli } from '../../helpers/cli';
import { startUpstream, type TestUpstream } from '../../helpers/upstreams';
import { request } from '../http/harness';

/** One `doubletap: …` block on stderr, no stack trace. */
function expectCleanError(stderr: string, pattern: RegExp): void {
  expect(stderr).to.match(pattern);
  expect(stderr).to.not.match(/\n\s+at /);
  expect(stderr).to.not.include('unexpected error');
}

describe('bad paths and hostile YAML from the CLI (issue 15)', function () {
  this.timeout(60_000);
  let dir: string;
  let up: TestUpstream;
  let scenario: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dt-bad-paths-'));
    up = await startUpstream({ mode: 'correct' });
    scenario = join(dir, 's.yaml');
    writeFileSync(scenario, [
      'version: 1', 'name: bad-paths', 'duration: 1500ms', 'settle: 1s', 'timeline: { interval: 500ms }',
      'http:', '  listen: 127.0.0.1:0', `  upstream: ${up.url}`,
      '  rules: [{ name: orders, match: { method: POST, path: /orders }, fraction: 0.5, faults: [{ kind: replay }] }]',
      'load: { http: [{ rule: orders, url: /orders, rate: 20/s, concurrency: 2, body: { n: "{{seq}}" } }] }',
    ].join('\n') + '\n');
  });
  after(async () => {
    await up.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('#10 --report-dir that is a file, or under a file: exit 2, one line naming --report-dir', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    for (const target of [file, join(file, 'run')]) {
      const r = await runCli(['run', scenario, '--report-dir', target], { timeoutMs: 20_000 });
      expect(r.code, r.stderr).to.equal(2);
      expectCleanError(r.stderr, /--report-dir: .*a-file is a file, not a directory/);
      expect(r.stdout).to.not.include('listening on');
    }
    expect(up.requests).to.equal(0);
  });

  it('#11 --report-dir /proc/self/nope: exit 2 at once (no mkdir loop at 100 % CPU)', async () => {
    const started = Date.now();
    const r = await runCli(['run', scenario, '--report-dir', '/proc/self/nope/run'], { timeoutMs: 15_000 });
    expect(r.timedOut).to.equal(false);
    expect(r.code, r.stderr).to.equal(2);
    expectCleanError(r.stderr, /--report-dir: cannot create \/proc\/self\/nope \(E[A-Z]+\)/);
    expect(Date.now() - started).to.be.below(15_000);
  });

  it('#10 a YAML alias bomb: exit 2 with one line (validate and run)', async () => {
    const bomb = join(dir, 'bomb.yaml');
    writeFileSync(bomb, ['a: &a [x,x,x,x,x,x,x,x,x]', ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill('*' + 'abcdefgh'[i]).join(',')}]`)].join('\n') + '\n');
    for (const args of [['validate', bomb], ['run', bomb]]) {
      const r = await runCli(args);
      expect(r.code, r.stderr).to.equal(2);
      expectCleanError(r.stderr, /bomb\.yaml: YAML Excessive alias count/);
    }
  });

  it('#10 proxy --journal that is a directory: exit 2, nothing listens', async () => {
    const r = await runCli(['proxy', '--upstream', up.url, '--listen', '127.0.0.1:0', '--journal', dir]);
    expect(r.code, r.stderr).to.equal(2);
    expectCleanError(r.stderr, /--journal: cannot write .* \(EISDIR\)/);
    expect(r.stdout).to.not.include('listening on');
  });

  it('#10 proxy --journal on a full disk (/dev/full): originals flow, a loud counted error, SIGTERM exits 4', async () => {
    const before = up.requests;
    const r = await runCli(['proxy', '--upstream', up.url, '--listen', '127.0.0.1:0', '--control', '127.0.0.1:0', '--fraction', '0', '--journal', '/dev/full'], { until: /control on (http:\/\/\S+)\n/ });
    let stderr = r.stderr;
    r.child.stderr!.on('data', (c: string) => (stderr += c));
    const url = /listening on (http:\/\/\S+)\n/.exec(r.stdout)![1];
    const control = /control on (http:\/\/\S+)\n/.exec(r.stdout)![1];
    for (let i = 0; i < 5; i++) expect((await request(url, { headers: { 'idempotency-key': `full-${i}` }, body: '{}' })).status).to.equal(201);
    expect(up.requests - before).to.equal(5);
    await new Promise((res) => setTimeout(res, 200));
    const metrics = await (await fetch(`${control}/metrics`)).text();
    const lost = Number(/^doubletap_journal_lines_lost_total (\d+)/m.exec(metrics)?.[1]);
    expect(lost).to.equal(5); // every original's line, the first failed batch's included
    const exit = await stopCli(r);
    expect(exit.code).to.equal(4);
    expect(stderr).to.match(/"level":"error".*writing the journal failed \(ENOSPC\)/);
    expect(stderr).to.match(/doubletap: the journal \/dev\/full failed \(ENOSPC\); \d+ lines lost/);
  });

  it('#10 a run whose journal fails mid-run is inconclusive with the reason, exit 4', async () => {
    const runDir = join(dir, 'full-run');
    mkdirSync(runDir);
    symlinkSync('/dev/full', join(runDir, 'journal.jsonl'));
    const before = up.requests;
    const link = join(runDir, 'journal.jsonl');
    const running = runCli(['run', scenario, '--report-dir', runDir], { timeoutMs: 40_000 });
    // The disk "frees up" once the run holds /dev/full open: the verdict and the report then read a
    // regular (empty) journal file instead of endless zeros.
    for (let i = 0; i < 200 && !existsSync(join(runDir, 'timeline.jsonl')); i++) await new Promise((res) => setTimeout(res, 100));
    rmSync(link);
    writeFileSync(link, '');
    const r = await running;
    expect(r.code, r.stderr).to.equal(4);
    expect(up.requests - before).to.be.greaterThan(5); // the traffic went through regardless
    const verdict = JSON.parse(readFileSync(join(runDir, 'verdict.json'), 'utf8'));
    expect(verdict.status).to.equal('inconclusive');
    expect(verdict.reason).to.match(/^the journal could not be written \(ENOSPC; \d+ lines lost\)/);
    expect(r.stderr).to.include('writing the journal failed (ENOSPC)');
  });
});
