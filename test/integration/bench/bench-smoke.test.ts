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

const GOAL_IDS = ['fraction0-rps', 'fraction0-p50', 'jitter10-rps', 'replay100-cpu', 'soak-slope', 'pending-overhead', 'relay0', 'relay10'];

const ROOT = resolve(__dirname, '../../..');

describe('bench smoke (npm run bench -- --smoke)', function () {
  this.timeout(200_000);
  const out = mkdtempSync(join(tmpdir(), 'doubletap-bench-smoke-'));
  let stdout = '';
  let results: BenchResults;

  before(function (done) {
    execFile(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/run.ts'), '--smoke', '--out', out], { cwd: ROOT, timeout: 180_000, maxBuffer: 16 * 2 ** 20 }, (err, so, se) => {
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
    expect(stdout).to.contain('## Goals');
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
  });

  it('judges every goal of issue 14 (all measured in a full smoke run), in summary.json and the table', () => {
    expect(results.goals!.map((g) => g.id)).to.deep.equal(GOAL_IDS);
    for (const g of results.goals!) {
      expect(g.met, `${g.id}: ${g.detail}`).to.be.a('boolean');
      expect(g.ratio, g.id).to.be.a('number');
      expect(stdout).to.contain(`| ${g.name} |`);
    }
  });

  describe('--cases and --baseline', function () {
    this.timeout(60_000);
    const out2 = join(out, 'second');
    let stdout2 = '';
    let second: BenchResults;
    before(function (done) {
      const args = ['--import', 'tsx', join(ROOT, 'bench/run.ts'), '--smoke', '--only', 'http', '--cases', 'http-proxy,doubletap-0', '--baseline', out, '--out', out2];
      execFile(process.execPath, args, { cwd: ROOT, timeout: 55_000, maxBuffer: 16 * 2 ** 20 }, (err, so, se) => {
        stdout2 = so + se;
        if (err) return done(new Error(`bench smoke --cases failed: ${err.message}\n${se}`));
        second = JSON.parse(readFileSync(join(out2, 'summary.json'), 'utf8')) as BenchResults;
        done();
      });
    });

    it('runs only the named cases and says which goals it cannot judge', () => {
      expect(second.http!.throughput.map((c) => c.id)).to.deep.equal(['http-proxy', 'doubletap-0']);
      const met = Object.fromEntries(second.goals!.map((g) => [g.id, g.met]));
      expect(met['fraction0-rps']).to.be.a('boolean');
      expect(met['fraction0-p50']).to.be.a('boolean');
      for (const id of ['jitter10-rps', 'replay100-cpu', 'soak-slope', 'pending-overhead', 'relay0', 'relay10']) expect(met[id], id).to.equal(null);
      expect(stdout2).to.contain('these goals will not be evaluated: jitter10-rps');
    });

    it('prints the before → after table against the first run', () => {
      expect(stdout2).to.contain(`## Before → after (baseline: ${out}`);
      expect(stdout2).to.match(/\| doubletap, fraction 0 \| \d+ → \d+ \(/);
      expect(stdout2).to.match(/\| doubletap, 100% replay \| \d+ → - \|/);
    });
  });
});
