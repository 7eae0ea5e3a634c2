// CI smoke for the benchmarks: the smoke variant runs as a child process (as `npm run bench -- --smoke`
// would, minus the build) and must finish and write a results file with every case present. No
// thresholds: CI machines are too noisy for performance assertions; the full run is for people.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { HTTP_TARGETS, LATENCY_TARGETS } from '../../../bench/cases/http';
import type { BenchResults } from '../../../bench/lib/report';

const ROOT = resolve(__dirname, '../../..');

describe('bench smoke (npm run bench -- --smoke)', function () {
  this.timeout(120_000);
  const out = mkdtempSync(join(tmpdir(), 'doubletap-bench-smoke-'));
  let stdout = '';
  let results: BenchResults;

  before(function (done) {
    execFile(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/run.ts'), '--smoke', '--out', out], { cwd: ROOT, timeout: 110_000, maxBuffer: 16 * 2 ** 20 }, (err, so, se) => {
      stdout = so;
      if (err) return done(new Error(`bench smoke failed: ${err.message}\n${se}`));
      results = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as BenchResults;
      done();
    });
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('writes a results file per area and the markdown summary', () => {
    for (const f of ['http.json', 'memory.json', 'reconcile.json', 'kafka.json', 'summary.json', 'summary.md']) {
      expect(existsSync(join(out, f)), f).to.equal(true);
    }
    expect(stdout).to.contain('## Targets');
    expect(results.mode).to.equal('smoke');
  });

  it('has every HTTP case, each measured or skipped with a reason shown in the table', () => {
    const ids = results.http!.throughput.map((c) => c.id);
    expect(ids).to.deep.equal(HTTP_TARGETS.map((t) => t.id));
    for (const c of results.http!.throughput) {
      if (c.skipped) {
        expect(c.id, 'only nginx may be skipped').to.equal('nginx');
        expect(stdout).to.contain(`skipped: ${c.skipped}`);
        continue;
      }
      expect(c.load!.requests, c.id).to.be.greaterThan(0);
      expect(c.load!.errors, c.id).to.equal(0);
    }
    expect(results.http!.latency.map((c) => c.id)).to.deep.equal(LATENCY_TARGETS);
  });

  it('has the memory, reconciler and Kafka cases', () => {
    expect(results.pending!.map((p) => p.bodyBytes)).to.deep.equal([200, 4096]);
    for (const p of results.pending!) expect(p.pendingReported).to.equal(p.copies);
    expect(results.soak!.samples.length).to.be.greaterThan(0);
    expect(results.reconcile!.count).to.equal(results.reconcile!.rows);
    expect(results.kafka!.error, 'the Kafka relay bench must run (a missing broker fails)').to.equal(undefined);
    expect(results.kafka!.variants.map((v) => v.variant)).to.deep.equal(['plain-kafkajs', 'relay-0pct', 'relay-10pct']);
    expect(results.targets!.length).to.equal(6);
  });
});
