// HTTPS upstream with a self-signed certificate (made here with openssl): refused by default, works
// with the CA file, and copies use the same verified TLS settings.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startUpstream, type TestUpstream } from '../../helpers/upstreams';
import { request, rule, startHarness, type Harness } from './harness';

describe('http proxy → HTTPS upstream', () => {
  let dir: string;
  let up: TestUpstream;
  let h: Harness | undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'doubletap-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    up = await startUpstream({ mode: 'correct', tls: { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') } });
  });
  after(async () => {
    await up.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('refuses a self-signed certificate by default (502, nothing forwarded)', async () => {
    h = await startHarness({ upstream: up.url, rules: [rule([{ kind: 'replay' }])] });
    const res = await request(h.proxy.url, { headers: { 'idempotency-key': 't-1' }, body: '{}' });
    expect(res.status).to.equal(502);
    expect(JSON.parse(res.text).code).to.equal('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(up.hits).to.have.length(0);
  });

  it('works with the CA file, for originals and copies', async () => {
    h = await startHarness({ upstream: up.url, ca: join(dir, 'cert.pem'), rules: [rule([{ kind: 'replay' }])] });
    const res = await request(h.proxy.url, { headers: { 'idempotency-key': 't-2' }, body: '{"a":1}' });
    expect(res.status).to.equal(201);
    expect(await h.proxy.settle(3000)).to.equal(true);
    expect(up.hitsFor('t-2')).to.have.length(2);
    expect(h.journal.copies()[0].outcome).to.equal('replayed');
  });
});
