// The rich fixture specs ($refs, allOf/oneOf, required, enums, formats, path/query/header parameters)
// run against a real HTTP server that dedups honestly: every request that reaches it is counted and
// validated against the spec, and every applicable check passes on the answers alone.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runContractCommand } from '../../../src/commands/contract';
import { CHECK_NAMES } from '../../../src/contract/types';
import { REPO_ROOT } from '../../helpers/cli';
import { validator } from '../../helpers/schema-validator';
import { prepare } from '../../unit/contract/prepare';
import { startIdempotentServer, type IdempotentServer } from './idempotent-server';
import { DEFAULT_FLAGS } from './flags';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'openapi', 'valid');

describe('doubletap contract: generated requests against a real server', function () {
  this.timeout(60_000);
  let server: IdempotentServer;
  beforeEach(async () => (server = await startIdempotentServer()));
  afterEach(async () => server.close());

  it('rich-3.0: exact request counts per operation, every request valid, all applicable checks pass, multipart → exit 4', async () => {
    let out = '';
    const code = await runContractCommand({ ...DEFAULT_FLAGS, openapi: join(DIR, 'rich-3.0.yaml'), baseUrl: server.url, seed: '5', runId: 'g' }, (t) => (out += t));
    expect(code, out).to.equal(4); // POST /documents has a multipart body: inconclusive, never pass
    expect(out).to.include('request body is multipart/form-data: only JSON bodies are generated');
    expect(out).to.not.match(/FAIL/);
    const count = (re: RegExp, method: string) => server.requests.filter((r) => r.method === method && re.test(r.url.split('?')[0])).length;
    // sequential 2 + concurrent 5 + mismatch 2 (+ missing key 1 when the key is required); HEAD once.
    expect(server.requests.filter((r) => r.method === 'HEAD')).to.have.length(1);
    expect(count(/^\/accounts\/[0-9a-f-]{36}\/transfers$/, 'POST')).to.equal(10);
    expect(count(/^\/accounts\/[0-9a-f-]{36}$/, 'PUT')).to.equal(9);
    expect(count(/^\/accounts\/[0-9a-f-]{36}$/, 'PATCH')).to.equal(9);
    expect(count(/^\/accounts\/[0-9a-f-]{36}\/cards\/\d{4}$/, 'DELETE')).to.equal(8); // no body: no mismatch check
    expect(count(/^\/documents$/, 'POST')).to.equal(0);
    expect(server.requests).to.have.length(37);

    const { ops } = await prepare(join(DIR, 'rich-3.0.yaml'));
    const valid = validator('3.0');
    const transfers = ops[0];
    for (const r of server.requests.filter((x) => x.method === 'POST')) {
      expect(valid(transfers.body!.schema, r.body), JSON.stringify(r.body)).to.equal(undefined);
      const q = new URL(r.url, server.url).searchParams;
      expect(q.get('currency')).to.be.oneOf(['EUR', 'USD', 'CHF']);
      expect(r.headers['x-tenant']).to.be.oneOf(['acme', 'globex']);
      expect(r.headers['content-type']).to.equal('application/json');
    }
    for (const r of server.requests.filter((x) => x.method === 'PUT')) expect(valid(ops[1].body!.schema, r.body)).to.equal(undefined);
    for (const r of server.requests.filter((x) => x.method === 'PATCH')) expect(r.headers['content-type']).to.equal('application/merge-patch+json');
    // Keys: one per check, the missing-key request has none.
    const keys = new Set(server.requests.map((r) => r.headers['idempotency-key']).filter(Boolean));
    expect(keys.size).to.equal(3 + 3 + 3 + 2);
  });

  it('rich-3.1 (JSON): valid requests, every applicable check passes, exit 0; same seed → same bodies', async () => {
    const run = async (runId: string) => {
      const code = await runContractCommand({ ...DEFAULT_FLAGS, openapi: join(DIR, 'rich-3.1.json'), baseUrl: `${server.url}/v1`, seed: '8', runId }, () => undefined);
      expect(code).to.equal(0);
    };
    await run('a');
    const first = server.requests.slice();
    await run('b');
    const second = server.requests.slice(first.length);
    expect(first.map((r) => JSON.stringify(r.body))).to.deep.equal(second.map((r) => JSON.stringify(r.body)));
    const { ops } = await prepare(join(DIR, 'rich-3.1.json'));
    const valid = validator('3.1');
    for (const r of first.filter((x) => x.method === 'POST')) {
      expect(r.url).to.match(/^\/v1\/hooks\/([1-9]|[1-4]\d|50)\/deliveries$/);
      expect(valid(ops[0].body!.schema, r.body), JSON.stringify(r.body)).to.equal(undefined);
    }
    expect(first.filter((x) => x.method === 'POST')).to.have.length(10);
    expect(CHECK_NAMES).to.have.length(5);
  });

  it('a service that runs every duplicate and names the same store_id each time: no pass on equal ids (one control per operation)', async () => {
    const dishonest = await startIdempotentServer(5, 'constant-store');
    try {
      const report = join(mkdtempSync(join(tmpdir(), 'doubletap-constant-')), 'report');
      const code = await runContractCommand({ ...DEFAULT_FLAGS, openapi: join(DIR, 'rich-3.1.json'), baseUrl: dishonest.url, seed: '8', runId: 'c', reportDir: report }, () => undefined);
      const ops = JSON.parse(readFileSync(join(report, 'contract.json'), 'utf8')).operations as Array<{ results: Array<{ check: string; status: string; summary: string }> }>;
      for (const op of ops) {
        const by = Object.fromEntries(op.results.map((r) => [r.check, r]));
        expect(by['sequential-duplicate'].status, by['sequential-duplicate'].summary).to.equal('inconclusive');
        expect(by['sequential-duplicate'].summary).to.match(/^the answers name store_id=store-1, and so does another operation/);
        expect(by['concurrent-duplicate'].status, by['concurrent-duplicate'].summary).to.equal('inconclusive');
        expect(by['concurrent-duplicate'].summary).to.match(/successes name store_id=store-1, and so does another operation/);
      }
      expect(code).to.not.equal(0);
      const controls = dishonest.requests.filter((r) => String(r.headers['idempotency-key']).includes('identity-control'));
      expect(controls).to.have.length(ops.length);
    } finally {
      await dishonest.close();
    }
  });

  it('--probes file: an http probe per operation reads the server\'s books around each request', async () => {
    const probes = join(mkdtempSync(join(tmpdir(), 'doubletap-probes-')), 'probes.yaml');
    writeFileSync(probes, `"POST /hooks/{hookId}/deliveries": { name: executions, http: "${server.url}/books", path: executions }\n`);
    const report = join(probes, '..', 'report');
    const code = await runContractCommand({ ...DEFAULT_FLAGS, openapi: join(DIR, 'rich-3.1.json'), baseUrl: server.url, seed: '8', runId: 'p', probes, reportDir: report }, () => undefined);
    expect(code).to.equal(0);
    const results = JSON.parse(readFileSync(join(report, 'contract.json'), 'utf8')).operations[0].results;
    expect(results[0].evidence).to.include.members(['probe executions: +1 on the 1st', 'probe executions: +0 on the 2nd']);
    expect(results[1].evidence).to.include('probe executions: +1 for 5 requests');
    expect(results[1].summary).to.equal('exactly one execution (probe executions +1); the other 4 replayed or got 409');
  });
});
