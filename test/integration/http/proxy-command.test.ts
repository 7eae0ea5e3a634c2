// `doubletap proxy` as a process: flags only, real upstream, journal file, SIGTERM drains and exits 0;
// bad flags are config errors with paths (exit 2).
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, stopCli } from '../../helpers/cli';
import { startUpstream, type TestUpstream } from '../../helpers/upstreams';
import { request } from './harness';

describe('doubletap proxy (command)', function () {
  this.timeout(40_000);
  let up: TestUpstream;
  let dir: string;
  before(async () => {
    up = await startUpstream({ mode: 'correct' });
    dir = mkdtempSync(join(tmpdir(), 'doubletap-proxy-'));
  });
  after(async () => {
    await up.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints listening, duplicates every write at fraction 1, drains on SIGTERM, exits 0', async () => {
    const journal = join(dir, 'journal.jsonl');
    const r = await runCli(['proxy', '--upstream', up.url, '--listen', '127.0.0.1:0', '--fraction', '1', '--fault', 'replay', '--copies', '2', '--seed', '3', '--journal', journal], { until: /listening on (http:\/\/\S+)\n/ });
    const url = /listening on (http:\/\/\S+)\n/.exec(r.stdout)![1];
    for (let i = 0; i < 3; i++) expect((await request(url, { headers: { 'idempotency-key': `cmd-${i}` }, body: '{}' })).status).to.equal(201);
    expect((await request(url, { method: 'GET', path: '/' })).status).to.equal(200);
    await new Promise((res) => setTimeout(res, 300));
    const exit = await stopCli(r);
    expect(exit.code).to.equal(0);
    const lines = readFileSync(journal, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.kind === 'original')).to.have.length(3);
    expect(lines.filter((l) => l.kind === 'copy' && l.outcome === 'replayed')).to.have.length(6);
    expect(up.hitsFor('cmd-0')).to.have.length(3);
  });

  it('bad flags: exit 2 with the path of each problem', async () => {
    const r = await runCli(['proxy', '--upstream', 'ftp://x', '--fraction', '2', '--fault', 'nope']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('http.upstream');
    expect(r.stderr).to.include('http.rules[0].fraction: must be at most 1');
    expect(r.stderr).to.include('http.rules[0].faults[0].kind');
  });
});

describe('doubletap proxy (command): start-up failures exit 2 and leave nothing running', function () {
  this.timeout(40_000);

  it('a control token from a missing env: variable: exit 2, the proxy does not stay up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doubletap-proxy-'));
    try {
      const file = join(dir, 's.yaml');
      writeFileSync(file, 'version: 1\nname: p\ncontrol: { token: env:DOUBLETAP_TEST_NO_SUCH_TOKEN }\n');
      const r = await runCli(['proxy', '--scenario', file, '--upstream', 'http://127.0.0.1:9', '--listen', '127.0.0.1:0', '--control', '127.0.0.1:0'], {
        env: { DOUBLETAP_TEST_NO_SUCH_TOKEN: undefined }, timeoutMs: 10_000,
      });
      expect(r.timedOut, 'the process must exit, not hang with the proxy listening').to.equal(false);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include('control.token');
      expect(r.stdout).to.not.include('listening on');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a listen address already in use: exit 2 naming http.listen', async () => {
    const taken = createServer();
    await new Promise<void>((res) => taken.listen(0, '127.0.0.1', () => res()));
    try {
      const port = (taken.address() as AddressInfo).port;
      const r = await runCli(['proxy', '--upstream', 'http://127.0.0.1:9', '--listen', `127.0.0.1:${port}`], { timeoutMs: 10_000 });
      expect(r.timedOut).to.equal(false);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include('http.listen: cannot listen on');
    } finally {
      await new Promise((res) => taken.close(res));
    }
  });
});
